import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../shared/adapters/dynamodb/delivery-ledger";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadLinkKeyring } from "../shared/adapters/secrets";
import { Mailer } from "../shared/adapters/ses/mailer";
import { parseDeliveryMessage } from "../shared/adapters/sqs/delivery-queue";
import { loadConfig, required } from "../shared/config";
import { logger } from "../shared/observability/logger";
import { METRIC, metrics } from "../shared/observability/metrics";
import {
  type DeliverDeps,
  type DeliveryReport,
  deliverInTurn,
  IncompleteDeliveryError,
  TemplateCache,
} from "../shared/use-cases/deliver-mailing";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const documents = createDocumentClient();
const deps: DeliverDeps = {
  events: new EventRepository(documents, config.tableName),
  subscribers: new SubscriberRepository(documents, subscribersTable),
  ledger: new DeliveryLedger(documents, subscribersTable),
  mailings: new MailingStore(documents, config.tableName),
  // No SDK retries: a retry after a lost answer would send the whole batch twice (Mailer.sendBulk).
  mailer: new Mailer(new SESv2Client({ maxAttempts: 1 }), config.senderAddress, config.sesConfigurationSet),
  links: await loadLinkKeyring(config),
  config,
  templates: new TemplateCache(),
};

const countMails = (report: DeliveryReport) => {
  metrics.addMetric(METRIC.mailsSent, MetricUnit.Count, report.sent);
  metrics.addMetric(METRIC.mailsFailed, MetricUnit.Count, report.refused + report.pending);
  metrics.addMetric(METRIC.mailsInDoubt, MetricUnit.Count, report.inDoubt);
};

/**
 * Sends the planned batch each queue message names, in turn (the next one read while the current
 * one is with SES); a batch with recipients left goes back to the queue alone.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    const keys = event.Records.map((record) => () => parseDeliveryMessage(record.body));
    let index = 0;
    for await (const outcome of deliverInTurn(deps, keys)) {
      const record = event.Records[index++] as SQSRecord;
      if ("report" in outcome) {
        const { report } = outcome;
        logger.info("Delivered batch", { messageId: record.messageId, ...report });
        countMails(report);
        if (report.inDoubt > 0) {
          logger.error(
            "A bulk call's outcome is unknown or unrecorded; its batch stays in doubt, never resent",
            {
              messageId: record.messageId,
              inDoubt: report.inDoubt,
              cause: report.cause,
            },
          );
        }
        continue;
      }
      logger.warn("Batch not fully delivered; it will be retried", {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: outcome.error as Error,
      });
      if (outcome.error instanceof IncompleteDeliveryError) countMails(outcome.error.report);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures };
  });
