import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../shared/adapters/dynamodb/delivery-ledger";
import { DueMailings } from "../shared/adapters/dynamodb/due-mailings";
import { EventRepository, fromEventItem } from "../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { DeliveryQueue } from "../shared/adapters/sqs/delivery-queue";
import { loadConfig, required } from "../shared/config";
import type { StoredEvent } from "../shared/domain/event";
import { logger } from "../shared/observability/logger";
import { followEventChange, runRequestedMailing } from "../shared/use-cases/follow-up-mailings";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const documents = createDocumentClient();
const events = new EventRepository(documents, config.tableName);
const deps = {
  mailings: new MailingStore(documents, config.tableName),
  ledger: new DeliveryLedger(documents, subscribersTable),
  subscribers: new SubscriberRepository(documents, subscribersTable),
  queue: new DeliveryQueue(new SQSClient({}), required(config.deliveryQueueUrl, "DELIVERY_QUEUE_URL")),
  due: new DueMailings(documents, config.tableName),
  languages: config.languages,
  defaultLanguage: config.defaultLanguage,
  noticeDelayMinutes: config.noticeDelayMinutes,
  reminderLeadHours: config.reminderLeadHours,
};

type Image = Record<string, AttributeValue> | undefined;
const eventImage = (image: Image): StoredEvent | undefined =>
  image ? fromEventItem(unmarshall(image)) : undefined;

/** What one record asks for: a mailing requested by name, or whatever a change of an event means for subscribers. */
const follow = async (oldImage: Image, newImage: Record<string, AttributeValue>) => {
  const now = new Date().toISOString();
  const item = unmarshall(newImage);
  if (item.entity === "mailing") {
    const ref = { eventId: String(item.eventId), mailing: String(item.mailing) };
    return { ...ref, run: await runRequestedMailing(deps, ref, await events.getEvent(ref.eventId), now) };
  }
  const after = fromEventItem(item);
  return { eventId: after.id, ...(await followEventChange(deps, eventImage(oldImage), after, now)) };
};

/**
 * First publications, changes of published events and requests to plan a mailing (filtered at
 * the event source): announcements, notices made due, cancellations and requested mailings are
 * planned and queued; a failed record is retried alone.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    for (const record of event.Records) {
      try {
        const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
        if (!image) continue;
        const outcome = await follow(record.dynamodb?.OldImage as Image, image);
        logger.info("Followed a change", outcome);
      } catch (error) {
        logger.error("Planning a mailing failed; the record will be retried", { error: error as Error });
        // Stream order matters: report this record and everything after it as failed.
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  });
