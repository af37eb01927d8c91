import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { MaterialFacts } from "../../domain/material-change";

/** What the sweep may start for an event: its pending change notice, or its reminder. */
export type DueKind = "notice" | "reminder";

export interface DueMailing {
  eventId: string;
  due: DueKind;
  dueAt: string;
  /** A notice's: the facts subscribers were last told. */
  baseline?: MaterialFacts;
  /** A notice's: the revision its burst of edits began at, which names the notice. */
  burst?: number;
}

/** Due items sit in gsi1 under this key, by due time: the sweep's sparse due-time index. */
const DUE = "DUE";
const dueKey = (eventId: string, due: DueKind) => ({ pk: `EVENT#${eventId}`, sk: `DUE#${due}` });
const indexKey = (dueAt: string, eventId: string, due: DueKind) => `${dueAt}#${eventId}#${due}`;
/** Instants in one format, so that index keys compare as strings. */
const normalised = (instant: string) => new Date(instant).toISOString();

const ignoringConditionFailure = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * The notice and the reminder each event may have pending, in the events table beside the event.
 * Each item stays after it is settled (out of the index), remembering the revision it settled,
 * so a stream record that comes again cannot start a settled notice over.
 */
export class DueMailings {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One conditional update of an event's due record; false when its condition no longer holds. */
  private updateIfStill(
    eventId: string,
    due: DueKind,
    update: Omit<UpdateCommandInput, "TableName" | "Key">,
  ): Promise<boolean> {
    return ignoringConditionFailure(
      this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: dueKey(eventId, due), ...update }),
      ),
    );
  }

  async get(eventId: string, due: DueKind): Promise<DueMailing | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: dueKey(eventId, due), ConsistentRead: true }),
    );
    return Item?.gsi1pk === DUE ? (Item as unknown as DueMailing) : undefined;
  }

  /**
   * A material change at `revision`: the notice is due `dueAt`, later than any earlier change of the
   * burst; the first change of a burst fixes its baseline (what subscribers were told) and its name.
   */
  async noteMaterialChange(eventId: string, baseline: MaterialFacts, revision: number, dueAt: string) {
    const at = normalised(dueAt);
    return this.updateIfStill(eventId, "notice", {
      UpdateExpression:
        "SET entity = :entity, eventId = :eventId, due = :due, dueAt = :dueAt, gsi1pk = :index, gsi1sk = :indexKey, " +
        "baseline = if_not_exists(baseline, :baseline), burst = if_not_exists(burst, :revision), revision = :revision",
      // A record that comes again, or late, never undoes a settled notice or brings a due time forward.
      ConditionExpression:
        "(attribute_not_exists(settledThrough) OR settledThrough < :revision) AND " +
        "(attribute_not_exists(dueAt) OR dueAt <= :dueAt)",
      ExpressionAttributeValues: {
        ":entity": "due",
        ":eventId": eventId,
        ":due": "notice",
        ":dueAt": at,
        ":index": DUE,
        ":indexKey": indexKey(at, eventId, "notice"),
        ":baseline": baseline,
        ":revision": revision,
      },
    });
  }

  /**
   * A quiet edit at `revision`: the pending notice, if any, counts its changes as told (`told`
   * from the baseline). Nothing pending: nobody is told, and the next burst starts from this edit.
   */
  async absorbQuietChange(
    eventId: string,
    revision: number,
    told: (baseline: MaterialFacts) => MaterialFacts,
  ): Promise<boolean> {
    const pending = await this.get(eventId, "notice");
    if (!pending?.baseline) return false;
    return this.updateIfStill(eventId, "notice", {
      UpdateExpression: "SET baseline = :baseline, revision = :revision",
      // A record that comes again, or late, never undoes a later change's effect.
      ConditionExpression: "burst = :burst AND revision < :revision",
      ExpressionAttributeValues: {
        ":baseline": told(pending.baseline),
        ":revision": revision,
        ":burst": pending.burst,
      },
    });
  }

  /** Makes a pending notice due at `now` (an editor's "send it now"); false when none is pending. */
  async advanceNotice(eventId: string, now: string): Promise<boolean> {
    const at = normalised(now);
    return this.updateIfStill(eventId, "notice", {
      UpdateExpression: "SET dueAt = :dueAt, gsi1sk = :indexKey",
      ConditionExpression: "gsi1pk = :index",
      ExpressionAttributeValues: {
        ":dueAt": at,
        ":index": DUE,
        ":indexKey": indexKey(at, eventId, "notice"),
      },
    });
  }

  /**
   * Settles the notice the sweep read (sent, reverted or suppressed) through `revision`, unless a
   * change came meanwhile: then the burst goes on from `told`, the facts as of `revision`, under a new name.
   */
  async settleNotice(
    read: DueMailing,
    revision: number,
    told: MaterialFacts,
  ): Promise<"settled" | "continued"> {
    const settled = await this.updateIfStill(read.eventId, "notice", {
      UpdateExpression: "SET settledThrough = :revision REMOVE gsi1pk, gsi1sk, baseline, burst, dueAt",
      ConditionExpression: "dueAt = :dueAt AND burst = :burst",
      ExpressionAttributeValues: { ":revision": revision, ":dueAt": read.dueAt, ":burst": read.burst },
    });
    if (settled) return "settled";
    await this.updateIfStill(read.eventId, "notice", {
      UpdateExpression: "SET baseline = :told, burst = :next",
      ConditionExpression: "burst = :burst",
      ExpressionAttributeValues: { ":told": told, ":next": revision + 1, ":burst": read.burst },
    });
    return "continued";
  }

  /** Schedules an event's one reminder, once: after it was sent or dropped it is never scheduled again. */
  async scheduleReminder(eventId: string, dueAt: string, revision: number): Promise<boolean> {
    const at = normalised(dueAt);
    return this.updateIfStill(eventId, "reminder", {
      UpdateExpression:
        "SET entity = :entity, eventId = :eventId, due = :due, dueAt = :dueAt, gsi1pk = :index, gsi1sk = :indexKey, revision = :revision",
      ConditionExpression: "attribute_not_exists(pk)",
      ExpressionAttributeValues: {
        ":entity": "due",
        ":eventId": eventId,
        ":due": "reminder",
        ":dueAt": at,
        ":index": DUE,
        ":indexKey": indexKey(at, eventId, "reminder"),
        ":revision": revision,
      },
    });
  }

  /**
   * Moves a pending reminder with its event at `revision`: a stale stream record never moves it
   * back; the sweep, which read the event itself, may move it at the same revision (`orSame`).
   */
  async rescheduleReminder(
    eventId: string,
    dueAt: string,
    revision: number,
    orSame = false,
  ): Promise<boolean> {
    const at = normalised(dueAt);
    return this.updateIfStill(eventId, "reminder", {
      UpdateExpression: "SET dueAt = :dueAt, gsi1sk = :indexKey, revision = :revision",
      ConditionExpression: `gsi1pk = :index AND revision ${orSame ? "<=" : "<"} :revision`,
      ExpressionAttributeValues: {
        ":dueAt": at,
        ":index": DUE,
        ":indexKey": indexKey(at, eventId, "reminder"),
        ":revision": revision,
      },
    });
  }

  /** The reminder was started, or will never be: it leaves the index for good. */
  async settleReminder(eventId: string, outcome: "started" | "dropped", now: string): Promise<void> {
    await this.updateIfStill(eventId, "reminder", {
      UpdateExpression: "SET outcome = :outcome, settledAt = :now REMOVE gsi1pk, gsi1sk",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":outcome": outcome, ":now": now },
    });
  }

  /** Everything due by `now`, soonest first: one Query of the sparse due-time index, a page at a time. */
  async *dueBy(now: string): AsyncGenerator<DueMailing> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :index AND gsi1sk < :upTo",
        ExpressionAttributeValues: { ":index": DUE, ":upTo": `${normalised(now)}#~` },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) yield item as unknown as DueMailing;
  }
}
