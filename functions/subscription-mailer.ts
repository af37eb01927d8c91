import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadLinkKeyring } from "../shared/adapters/secrets";
import { Mailer } from "../shared/adapters/ses/mailer";
import { parseSubscriptionRequestMessage } from "../shared/adapters/sqs/subscription-requests";
import { loadConfig, required } from "../shared/config";
import { logger } from "../shared/observability/logger";
import {
  type SubscriptionMailDeps,
  takeSubscriptionRequest,
} from "../shared/use-cases/mail-subscription-requests";

const config = loadConfig();
const deps: SubscriptionMailDeps = {
  subscribers: new SubscriberRepository(
    createDocumentClient(),
    required(config.subscribersTableName, "SUBSCRIBERS_TABLE"),
  ),
  mailer: new Mailer(new SESv2Client({}), config.senderAddress, config.sesConfigurationSet),
  links: await loadLinkKeyring(config),
  config,
};

/** Acts on queued subscription requests: confirmation and "already subscribed" mails, off the request path. */
export const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        const outcome = await takeSubscriptionRequest(deps, parseSubscriptionRequestMessage(record.body));
        // The outcome, never the address: logs must not tell who subscribes.
        logger.info("Took a subscription request", { messageId: record.messageId, outcome });
      } catch (error) {
        logger.warn("Subscription request not taken; it will be retried", {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
