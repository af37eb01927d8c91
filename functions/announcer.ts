import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../shared/adapters/dynamodb/delivery-ledger";
import { EventRepository, fromEventItem } from "../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { DeliveryQueue } from "../shared/adapters/sqs/delivery-queue";
import { loadConfig, required } from "../shared/config";
import { logger } from "../shared/observability/logger";
import { announceEvent } from "../shared/use-cases/announce-event";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const documents = createDocumentClient();
const events = new EventRepository(documents, config.tableName);
const deps = {
  mailings: new MailingStore(documents, config.tableName),
  ledger: new DeliveryLedger(documents, subscribersTable),
  subscribers: new SubscriberRepository(documents, subscribersTable),
  queue: new DeliveryQueue(new SQSClient({}), required(config.deliveryQueueUrl, "DELIVERY_QUEUE_URL")),
  languages: config.languages,
  defaultLanguage: config.defaultLanguage,
};

/** The event a record is about: a first publication carries it; a request to plan names it. */
const eventOf = async (image: Record<string, unknown>) =>
  image.entity === "mailing" ? events.getEvent(String(image.eventId)) : fromEventItem(image);

/**
 * First publications and requests to plan an announcement again (filtered at the event source)
 * plan it and queue its batches; a failed record is retried alone.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    for (const record of event.Records) {
      try {
        const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
        if (!image) continue;
        const announced = await eventOf(unmarshall(image));
        // Cancelled (or gone) since: there is nothing left to announce.
        if (announced?.status !== "published") continue;
        const run = await announceEvent(deps, announced);
        logger.info("Announced event", { eventId: announced.id, ...run });
      } catch (error) {
        logger.error("Announcement failed; the record will be retried", { error: error as Error });
        // Stream order matters: report this record and everything after it as failed.
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  });
