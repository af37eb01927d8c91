import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBRecord, DynamoDBStreamEvent, ScheduledEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { EventRepository, fromEventItem } from "../shared/adapters/dynamodb/event-repository";
import { createS3Client, FeedStore } from "../shared/adapters/s3/feed-store";
import { loadConfig } from "../shared/config";
import type { Series } from "../shared/domain/event";
import { logger } from "../shared/observability/logger";
import {
  type Change,
  type PublishResult,
  publishChanges,
  publishElapsed,
  publishFeeds,
  RebuildRequestError,
  type RebuildResult,
  type UnconfiguredLanguageFolder,
} from "../shared/use-cases/publish-feeds";

const config = loadConfig();
const deps = {
  repository: new EventRepository(createDocumentClient(), config.tableName),
  store: new FeedStore(createS3Client(), config.feedBucket),
  config,
};

/** `aws lambda invoke --payload '{"rebuild":true}'`: every file of the programme, rendered again. */
export interface RebuildRequest {
  rebuild: true;
  /** Delete the files it did not render even when the table has no published event (see RebuildOptions). */
  evenIfEmpty?: boolean;
  /** Languages taken out of LANGUAGES whose folders to delete too, like ["be"] (see RebuildOptions). */
  dropLanguages?: string[];
}

/** The payload's dropLanguages, checked for shape (publishFeeds checks each language). */
const dropLanguagesOf = (request: RebuildRequest): string[] => {
  const { dropLanguages } = request;
  if (dropLanguages === undefined) return [];
  if (!Array.isArray(dropLanguages) || !dropLanguages.every((language) => typeof language === "string")) {
    throw new RebuildRequestError('dropLanguages: must be a list of language tags, like ["be"]');
  }
  return dropLanguages;
};

const imageOf = (image: Record<string, AttributeValue> | undefined) =>
  image ? unmarshall(image as Record<string, never>) : undefined;

export interface RebuildSummary {
  rendered: number;
  written: number;
  bytes: number;
  /** Files deleted: pages the programme no longer has, and orphans no change had removed. */
  deleted: number;
  /** Orphans kept because the table has no published event: rebuild with evenIfEmpty to delete them. */
  kept: number;
  /** Folders of languages no longer configured, kept: rebuild with dropLanguages to delete them. */
  unconfiguredLanguages: UnconfiguredLanguageFolder[];
}

/** A stream record as the change it is: an event's or a series' old and new version. */
const changeOf = (record: DynamoDBRecord): Change | undefined => {
  const old = imageOf(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  const next = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  const entity = (next ?? old)?.entity;
  if (entity === "event")
    return { kind: "event", old: old && fromEventItem(old), new: next && fromEventItem(next) };
  if (entity === "series")
    return { kind: "series", old: old as Series | undefined, new: next as Series | undefined };
  return undefined;
};

/**
 * A stream batch (filtered at the event source) re-renders the files its changes show in; the
 * hourly schedule moves events that ended since to the past; a rebuild request renders everything.
 * A failure throws, so the batch is retried, bisected and finally parked in the on-failure queue;
 * a rebuild heals whatever a parked batch left behind, deleting the files it left that nothing renders.
 */
export const handler = middy<
  DynamoDBStreamEvent | ScheduledEvent | RebuildRequest,
  RebuildSummary | undefined
>({
  timeoutEarlyInMillis: 0,
})
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const kind = "Records" in event ? "changes" : "rebuild" in event && event.rebuild ? "rebuild" : "elapsed";
    const result: PublishResult & Partial<RebuildResult> =
      kind === "changes"
        ? await publishChanges(
            deps,
            (event as DynamoDBStreamEvent).Records.flatMap((record) => changeOf(record) ?? []),
          )
        : kind === "rebuild"
          ? await publishFeeds(deps, {
              onOrphansDeleted: (keys) => logger.info("Deleted files the rebuild did not render", { keys }),
              evenIfEmpty: (event as RebuildRequest).evenIfEmpty === true,
              dropLanguages: dropLanguagesOf(event as RebuildRequest),
            })
          : await publishElapsed(deps);
    const deleted = result.deleted.length + (result.orphans ?? 0);
    const kept = result.keptOrphans ?? 0;
    if (kept > 0) {
      logger.warn("The table has no published event: the rebuild kept the files it did not render", {
        kept,
        hint: 'invoke with {"rebuild":true,"evenIfEmpty":true} if the programme is empty on purpose',
      });
    }
    const unconfiguredLanguages = result.unconfiguredLanguages ?? [];
    if (unconfiguredLanguages.length > 0) {
      logger.warn("The bucket has folders of languages no longer configured: the rebuild kept them", {
        unconfiguredLanguages,
        hint: `invoke with {"rebuild":true,"dropLanguages":${JSON.stringify(unconfiguredLanguages.map(({ language }) => language))}} to delete them`,
      });
    }
    logger.info("Published feeds and pages", {
      kind,
      records: "Records" in event ? event.Records.length : 0,
      rendered: result.rendered,
      written: result.written.length,
      bytes: result.bytes,
      deleted,
    });
    // Only a rebuild answers (to `aws lambda invoke`); a stream batch's answer would be read as batch failures.
    return kind === "rebuild"
      ? {
          rendered: result.rendered,
          written: result.written.length,
          bytes: result.bytes,
          deleted,
          kept,
          unconfiguredLanguages,
        }
      : undefined;
  });
