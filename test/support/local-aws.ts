import { type AwsServers, localAwsEnv, provisionResources, startAwsServers } from "../../local/aws-servers";
import { parseLinkKeyring, type SubscriberKeys } from "../../shared/domain/subscriptions/keys";

const SUBSCRIPTION_QUEUE = "eventcast-subscription-requests-test";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
export const TEST_LINK_KEYS = JSON.stringify({
  current: "t1",
  t1: "test-link-key-0123456789abcdef0123456789",
});
export const TEST_PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef0123456789";
/** What CloudFront adds to each request it passes to the API (x-origin-verify). */
export const TEST_ORIGIN_SECRET = "test-origin-secret-0123456789abcdef0123456789";
/** The headers of a request that came through CloudFront from `viewerIp`. */
export const throughCloudFront = (viewerIp = "198.51.100.20") => ({
  "x-origin-verify": TEST_ORIGIN_SECRET,
  "cloudfront-viewer-address": `${viewerIp}:51234`,
});
/** The keys the handlers under test use, for tests that sign links or compute ids themselves. */
export const TEST_KEYS: SubscriberKeys = {
  links: parseLinkKeyring(TEST_LINK_KEYS),
  pseudonyms: TEST_PSEUDONYM_KEY,
};

/**
 * Starts the real local AWS servers on free ports, creates the tables, bucket and delivery queue and points this
 * test process's environment (and so the handlers it imports afterwards) at them.
 */
export const useLocalAws = async (env: Record<string, string> = {}): Promise<AwsServers> => {
  const servers = await startAwsServers();
  const tableName = "eventcast-test";
  const subscribersTableName = "eventcast-subscribers-test";
  const bucketName = "eventcast-feeds-test";
  const deliveries = "eventcast-deliveries-test";
  const { queueUrls } = await provisionResources({
    endpoints: servers.endpoints,
    tableName,
    subscribersTableName,
    bucketName,
    queues: [
      { name: SUBSCRIPTION_QUEUE, deadLetter: { name: `${SUBSCRIPTION_QUEUE}-dlq`, maxReceiveCount: 5 } },
      { name: deliveries },
    ],
  });
  Object.assign(process.env, localAwsEnv(servers.endpoints), {
    TABLE_NAME: tableName,
    SUBSCRIBERS_TABLE: subscribersTableName,
    SUBSCRIPTION_QUEUE_URL: queueUrls[SUBSCRIPTION_QUEUE] as string,
    FEED_BUCKET: bucketName,
    DELIVERY_QUEUE_URL: queueUrls[deliveries] as string,
    PUBLIC_URL: "https://events.example.org",
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LINK_KEYS: TEST_LINK_KEYS,
    PSEUDONYM_KEY: TEST_PSEUDONYM_KEY,
    ORIGIN_SECRET: TEST_ORIGIN_SECRET,
    SENDER_ADDRESS: "EU4Digital events <events@example.org>",
    POSTAL_ADDRESS: "Example Street 1, 1000 Brussels, Belgium",
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
    ...env,
  });
  return servers;
};
