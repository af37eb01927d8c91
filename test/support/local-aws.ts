import { type AwsServers, localAwsEnv, provisionResources, startAwsServers } from "../../local/aws-servers";

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/**
 * Starts the real local AWS servers on free ports, creates the tables and bucket and points this
 * test process's environment (and so the handlers it imports afterwards) at them.
 */
export const useLocalAws = async (env: Record<string, string> = {}): Promise<AwsServers> => {
  const servers = await startAwsServers();
  const tableName = "eventcast-test";
  const subscribersTableName = "eventcast-subscribers-test";
  const bucketName = "eventcast-feeds-test";
  await provisionResources({ endpoints: servers.endpoints, tableName, subscribersTableName, bucketName });
  Object.assign(process.env, localAwsEnv(servers.endpoints), {
    TABLE_NAME: tableName,
    SUBSCRIBERS_TABLE: subscribersTableName,
    FEED_BUCKET: bucketName,
    PUBLIC_URL: "https://events.example.org",
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    TOKEN_SECRET: "test-token-secret-0123456789abcdef0123456789",
    SENDER_ADDRESS: "EU4Digital events <events@example.org>",
    POSTAL_ADDRESS: "Example Street 1, 1000 Brussels, Belgium",
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
    ...env,
  });
  return servers;
};
