import { EVENTS_TABLE, SUBSCRIBERS_TABLE } from "../shared/adapters/dynamodb/table-schema";
import type { TableGrant } from "./constructs/function";

const EVENT_INDEXES = EVENTS_TABLE.indexes.map((index) => index.indexName);
const [AUDIENCE] = SUBSCRIBERS_TABLE.indexes.map((index) => index.indexName);

/**
 * What each function may do to each table: the whole access map in one place. No function may
 * Scan; only the functions a stream feeds read it (their event sources grant that).
 */
export const TABLE_GRANTS = {
  adminApi: {
    events: {
      actions: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"],
      indexes: EVENT_INDEXES,
    },
    // It reads mailing batches (ids and outcomes, never addresses) and may delete, not read, one person.
    subscribers: [
      // Mailing batches: read for ops and resumes; an erased person's id removed from them.
      { actions: ["Query", "UpdateItem"], families: ["DELIVERY#"] },
      { actions: ["DeleteItem"], families: ["SUBSCRIBER#", "RATE#"] },
    ],
  },
  // Anyone can call it: it reads published events and writes only subscribers and request counters.
  publicApi: {
    events: { actions: ["GetItem", "Query"], indexes: EVENT_INDEXES },
    subscribers: { actions: ["GetItem", "PutItem", "UpdateItem"], families: ["SUBSCRIBER#", "RATE#"] },
  },
  subscriptionMailer: {
    subscribers: { actions: ["GetItem", "PutItem"], families: ["SUBSCRIBER#"] },
  },
  // Feeds and pages are made of events alone: no grant on the subscribers table at all.
  feedPublisher: {
    events: { actions: ["GetItem", "Query"], indexes: EVENT_INDEXES },
  },
  announcer: {
    // The event, its mailing records and its due notice and reminder (all in the event's partition).
    events: { actions: ["GetItem", "UpdateItem"], families: ["EVENT#"] },
    // The audience's ids, the planned batches it writes (the outbox), and the announcement's
    // ledger, which names whom a notice, the cancellation or the reminder goes to.
    subscribers: [
      { actions: [], indexes: [AUDIENCE as string] },
      { actions: ["PutItem", "Query"], families: ["DELIVERY#"] },
    ],
  },
  // The due-time index (gsi1, under DUE), the events and their due items and mailing records:
  // it asks for mailings to be planned and reads no subscriber at all.
  sweeper: {
    events: { actions: ["GetItem", "UpdateItem"], families: ["EVENT#"], indexes: ["gsi1"] },
  },
  deliverer: {
    events: { actions: ["GetItem"], families: ["EVENT#", "SERIES#"] },
    subscribers: [
      { actions: ["GetItem", "BatchGetItem"], families: ["SUBSCRIBER#"] },
      // Claims a batch and records its outcomes.
      { actions: ["GetItem", "UpdateItem"], families: ["DELIVERY#"] },
    ],
  },
  feedback: {
    subscribers: { actions: ["GetItem", "PutItem"], families: ["SUBSCRIBER#"] },
  },
} as const satisfies Record<
  string,
  { events?: TableGrant; subscribers?: TableGrant | readonly TableGrant[] }
>;
