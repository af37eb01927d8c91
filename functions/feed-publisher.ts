import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { DynamoDBStreamEvent, ScheduledEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { createS3Client, FeedStore } from "../shared/adapters/s3/feed-store";
import { loadConfig } from "../shared/config";
import { logger } from "../shared/observability/logger";
import { publishFeeds } from "../shared/use-cases/publish-feeds";

const config = loadConfig();
const deps = {
  repository: new EventRepository(createDocumentClient(), config.tableName),
  store: new FeedStore(createS3Client(), config.feedBucket),
  config,
};

/**
 * Any change to a public event or a series (filtered at the event source) re-renders all feeds and
 * pages once per batch; an hourly schedule re-renders them too, so events that ended since move to
 * the past listings and say they are over. A failure throws, so the batch is retried, bisected and
 * finally parked in the on-failure queue; since a render reads the whole table, any later success
 * heals the files.
 */
export const handler = middy<DynamoDBStreamEvent | ScheduledEvent, void>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const written = await publishFeeds(deps);
    const records = "Records" in event ? event.Records.length : 0;
    logger.info("Published feeds and pages", { records, scheduled: !("Records" in event), written });
  });
