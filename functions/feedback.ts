import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadPseudonymKey } from "../shared/adapters/secrets";
import { loadConfig, required } from "../shared/config";
import { logger } from "../shared/observability/logger";
import { METRIC, metrics } from "../shared/observability/metrics";
import { handleMailFeedback, parseSesFeedback } from "../shared/use-cases/handle-mail-feedback";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const deps = {
  subscribers: new SubscriberRepository(createDocumentClient(), subscribersTable),
  keys: { pseudonyms: await loadPseudonymKey(config) },
};

/** SES bounces and complaints (configuration set → SNS): suppress or count the addresses they name. */
export const handler = middy<SNSEvent, void>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    for (const record of event.Records) {
      const feedback = parseSesFeedback(record.Sns.Message);
      if (!feedback) {
        logger.warn("Ignoring an SNS message that is not SES feedback", { messageId: record.Sns.MessageId });
        continue;
      }
      const actions = await handleMailFeedback(deps, feedback);
      if (actions.length > 0) {
        logger.info("Applied mail feedback", {
          count: actions.length,
          actions: actions.map((a) => a.action),
        });
      }
      const suppressed = actions.filter((action) => action.action === "suppress").length;
      metrics.addMetric(METRIC.addressesSuppressed, MetricUnit.Count, suppressed);
    }
  });
