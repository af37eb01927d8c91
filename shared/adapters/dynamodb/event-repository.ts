import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { ConflictError, ValidationError } from "../../domain/errors";
import { isPublic, type Series, type StoredEvent } from "../../domain/event";
import { eventEndInstant, eventStartInstant } from "../../domain/event-time";
import { decodeCursor, encodeCursor } from "./cursor";

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PublicEventQuery {
  series?: string;
  /** upcoming: not yet ended, soonest first; past: ended, most recent first. */
  when: "upcoming" | "past";
  now: string;
  limit: number;
  cursor?: string;
}

const eventKey = (id: string) => ({ pk: `EVENT#${id}`, sk: "EVENT" });
const slugKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: "SLUG" });
const seriesKey = (id: string) => ({ pk: `SERIES#${id}`, sk: "SERIES" });

/** The stored item: the event itself plus the keys of the indexes it belongs to (see table-schema.ts). */
export const toEventItem = (event: StoredEvent): Record<string, unknown> => {
  const item: Record<string, unknown> = {
    ...event,
    ...eventKey(event.id),
    entity: "event",
    gsi1pk: "EVENT",
    gsi1sk: `${event.createdAt}#${event.id}`,
  };
  if (isPublic(event) && event.publishedAt) {
    // Normalised to toISOString() so index keys compare as strings.
    const endsAt = new Date(eventEndInstant(event)).toISOString();
    Object.assign(item, {
      startsAt: new Date(eventStartInstant(event)).toISOString(),
      endsAt,
      gsi2pk: "PUBLIC",
      gsi2sk: `${event.publishedAt}#${event.id}`,
      gsi3pk: "PUBLIC",
      gsi3sk: `${endsAt}#${event.id}`,
      gsi4pk: `SERIES#${event.series}`,
      gsi4sk: `${endsAt}#${event.id}`,
    });
  }
  return item;
};

const STORAGE_ONLY = ["pk", "sk", "entity", "startsAt", "endsAt"];

export const fromEventItem = (item: Record<string, unknown>): StoredEvent =>
  Object.fromEntries(
    Object.entries(item).filter(([key]) => !key.startsWith("gsi") && !STORAGE_ONLY.includes(key)),
  ) as unknown as StoredEvent;

const fromSeriesItem = (item: Record<string, unknown>): Series => ({
  id: item.id as string,
  translations: item.translations as Series["translations"],
  updatedAt: item.updatedAt as string,
});

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Events, slugs and series in the single table. Listings are Queries on sparse indexes, never Scans. */
export class EventRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: eventKey(id), ConsistentRead: true }),
    );
    return Item ? fromEventItem(Item) : undefined;
  }

  /** Stores a new event; the slug is claimed first so two events can never share it. */
  async createEvent(event: StoredEvent): Promise<void> {
    await this.claimSlug(event.slug, event.id);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toEventItem(event),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      await this.releaseSlug(event.slug, event.id);
      throw error;
    }
  }

  /**
   * Replaces an event if nobody changed it since `previous` was read (optimistic lock on the
   * revision). DynamoDB Local servers have no transactions, so a slug change claims the new
   * slug before the write and releases the old one after it.
   */
  async replaceEvent(next: StoredEvent, previous: StoredEvent): Promise<void> {
    const slugChanged = next.slug !== previous.slug;
    if (slugChanged) await this.claimSlug(next.slug, next.id);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toEventItem(next),
          ConditionExpression: "revision = :revision",
          ExpressionAttributeValues: { ":revision": previous.revision },
        }),
      );
    } catch (error) {
      if (slugChanged) await this.releaseSlug(next.slug, next.id);
      if (isConditionFailure(error)) {
        throw new ConflictError("The event was changed by someone else meanwhile; reload it and try again");
      }
      throw error;
    }
    if (slugChanged) await this.releaseSlug(previous.slug, previous.id);
  }

  /** Deletes a draft that nobody changed since it was read, and frees its slug. */
  async deleteDraft(event: StoredEvent): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: eventKey(event.id),
          ConditionExpression: "revision = :revision AND #status = :draft",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":revision": event.revision, ":draft": "draft" },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError("The event was changed by someone else meanwhile; reload it and try again");
      }
      throw error;
    }
    await this.releaseSlug(event.slug, event.id);
  }

  /** Every event, drafts included, newest first. */
  async listAllEvents(limit: number, cursor?: string): Promise<Page<StoredEvent>> {
    return this.queryEvents({ IndexName: "gsi1", pk: ["gsi1pk", "EVENT"], newestFirst: true, limit, cursor });
  }

  /** Published and cancelled events, newest publication first: the feeds' order. */
  async listPublicEventsNewestFirst(limit: number, cursor?: string): Promise<Page<StoredEvent>> {
    return this.queryEvents({
      IndexName: "gsi2",
      pk: ["gsi2pk", "PUBLIC"],
      newestFirst: true,
      limit,
      cursor,
    });
  }

  /** The public events for the feeds, newest first, page after page: all of them, or the newest `max`. */
  async allPublicEventsNewestFirst(max = Number.POSITIVE_INFINITY): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listPublicEventsNewestFirst(Math.min(1_000, max - events.length), cursor);
      events.push(...page.items);
      cursor = page.cursor;
    } while (cursor && events.length < max);
    return events;
  }

  /** Public events by end time, optionally of one series. */
  async listPublicEventsByDate(query: PublicEventQuery): Promise<Page<StoredEvent>> {
    const [index, pk] = query.series
      ? (["gsi4", ["gsi4pk", `SERIES#${query.series}`]] as const)
      : (["gsi3", ["gsi3pk", "PUBLIC"]] as const);
    return this.queryEvents({
      IndexName: index,
      pk: [pk[0], pk[1]],
      newestFirst: query.when === "past",
      sk: [`${index}sk`, query.when === "past" ? "<" : ">=", query.now],
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  /**
   * Public events by publication ("published", gsi2) or by end ("ending": gsi3, or gsi4 for a
   * series), optionally within `[from, before)` or one `month` (YYYY-MM), at most `limit`: the
   * bounded slices the incremental publisher renders from. Pages through DynamoDB's own pages.
   */
  async publicEventsBy(
    order: "published" | "ending",
    slice: {
      series?: string;
      month?: string;
      from?: string;
      before?: string;
      newestFirst: boolean;
      limit?: number;
    },
  ): Promise<StoredEvent[]> {
    if (order === "published" && slice.series) throw new Error("Series are indexed by end only");
    const [index, pkName, pk] =
      order === "published"
        ? ["gsi2", "gsi2pk", "PUBLIC"]
        : slice.series
          ? ["gsi4", "gsi4pk", `SERIES#${slice.series}`]
          : ["gsi3", "gsi3pk", "PUBLIC"];
    const values: Record<string, string> = { ":pk": pk };
    let condition = "#pk = :pk";
    if (slice.month) {
      condition += " AND begins_with(#sk, :month)";
      values[":month"] = slice.month;
    } else if (slice.from !== undefined && slice.before !== undefined) {
      // An empty range (the month after this one, before now): DynamoDB refuses it rather than answer nothing.
      if (slice.from > slice.before) return [];
      // Keys are `instant#id`, so a bare instant as the upper bound excludes that instant itself.
      condition += " AND #sk BETWEEN :from AND :before";
      Object.assign(values, { ":from": slice.from, ":before": slice.before });
    } else if (slice.from !== undefined) {
      condition += " AND #sk >= :from";
      values[":from"] = slice.from;
    } else if (slice.before !== undefined) {
      condition += " AND #sk < :before";
      values[":before"] = slice.before;
    }
    const events: StoredEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: {
            "#pk": pkName,
            ...(condition.includes("#sk") ? { "#sk": `${index}sk` } : {}),
          },
          ExpressionAttributeValues: values,
          ScanIndexForward: !slice.newestFirst,
          Limit: slice.limit === undefined ? undefined : Math.min(1_000, slice.limit - events.length),
          ExclusiveStartKey: startKey,
        }),
      );
      events.push(...(page.Items ?? []).map(fromEventItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (slice.limit === undefined || events.length < slice.limit));
    return events;
  }

  async getSeries(id: string): Promise<Series | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: seriesKey(id) }),
    );
    return Item ? fromSeriesItem(Item) : undefined;
  }

  async putSeries(series: Series): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...series, ...seriesKey(series.id), entity: "series", gsi1pk: "SERIES", gsi1sk: series.id },
      }),
    );
  }

  async listSeries(): Promise<Series[]> {
    const series: Series[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": "SERIES" },
      },
    );
    for await (const page of pages) series.push(...(page.Items ?? []).map(fromSeriesItem));
    return series;
  }

  private async queryEvents(query: {
    IndexName: string;
    pk: [string, string];
    sk?: [string, "<" | ">=", string];
    newestFirst: boolean;
    limit: number;
    cursor?: string;
  }): Promise<Page<StoredEvent>> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: query.IndexName,
      KeyConditionExpression: query.sk ? `#pk = :pk AND #sk ${query.sk[1]} :sk` : "#pk = :pk",
      ExpressionAttributeNames: { "#pk": query.pk[0], ...(query.sk ? { "#sk": query.sk[0] } : {}) },
      ExpressionAttributeValues: { ":pk": query.pk[1], ...(query.sk ? { ":sk": query.sk[2] } : {}) },
      ScanIndexForward: !query.newestFirst,
      Limit: query.limit,
      ExclusiveStartKey: decodeCursor(query.cursor),
    };
    try {
      const page = await this.client.send(new QueryCommand(input));
      return { items: (page.Items ?? []).map(fromEventItem), cursor: encodeCursor(page.LastEvaluatedKey) };
    } catch (error) {
      // A cursor from another listing fails DynamoDB's own validation: the client's mistake.
      if (query.cursor && (error as Error).name === "ValidationException") {
        throw new ValidationError([{ path: "cursor", message: "does not belong to this listing" }]);
      }
      throw error;
    }
  }

  private async claimSlug(slug: string, eventId: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...slugKey(slug), entity: "slug", eventId },
          ConditionExpression: "attribute_not_exists(pk) OR eventId = :eventId",
          ExpressionAttributeValues: { ":eventId": eventId },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`The slug "${slug}" is taken by another event`, "slug");
      throw error;
    }
  }

  private async releaseSlug(slug: string, eventId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: slugKey(slug),
        ConditionExpression: "attribute_not_exists(pk) OR eventId = :eventId",
        ExpressionAttributeValues: { ":eventId": eventId },
      }),
    );
  }
}
