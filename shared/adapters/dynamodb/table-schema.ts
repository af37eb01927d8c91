/**
 * The two tables' shapes, shared by the CDK stack and the local runtime so both create the same
 * thing. Items are overloaded: `pk`/`sk` identify an item; secondary indexes are sparse (an item
 * only appears in an index when it sets that index's keys).
 *
 * Two tables, so that access follows the data: the events table is what the site and feeds are
 * made of (its stream drives them); the subscribers table holds people (addresses, consent,
 * request counters, the delivery ledger). The feed publisher and the editors' API get no grant to
 * read addresses; the public API, which anyone can call, gets no grant to write events.
 *
 * Events table:
 *
 * | item         | pk              | sk           | gsi1 (admin list)      | gsi2 (newest first)         | gsi3 (by start)            | gsi4 (series by start)           |
 * |--------------|-----------------|--------------|------------------------|-----------------------------|----------------------------|----------------------------------|
 * | event        | EVENT#<id>      | EVENT        | EVENT / createdAt#id   | PUBLIC / publishedAt#id     | PUBLIC / startsAt#id       | SERIES#<series> / startsAt#id    |
 * | mailing      | EVENT#<id>      | MAILING#<m>  | MAILING#open / …¹      |                             |                            |                                  |
 * | due item     | EVENT#<id>      | DUE#notice, DUE#reminder | DUE / dueAt#id#kind² |                 |                            |                                  |
 * | slug claim   | SLUG#<slug>     | SLUG         |                        |                             |                            |                                  |
 * | series       | SERIES#<id>     | SERIES       | SERIES / id            |                             |                            |                                  |
 *
 * Drafts only appear in gsi1; published and cancelled events appear in all four. ¹ A mailing (an
 * event's announcement, notice, cancellation or reminder) sits in gsi1 until a resume finds it
 * complete. ² An event's pending change notice and its reminder sit in gsi1 under DUE, by due time,
 * until the sweep settles them (the items stay, out of the index): the sparse due-time index.
 *
 * Subscribers table:
 *
 * | item            | pk                   | sk             | audience (confirmed only)   |
 * |-----------------|----------------------|----------------|-----------------------------|
 * | subscriber      | SUBSCRIBER#<id>      | SUBSCRIBER     | AUDIENCE#<language> / id    |
 * | request counter | RATE#<id>#<window>   | RATE           |                             |
 * | mailing batch   | DELIVERY#<event id>  | MAILING#<m>#<epoch>#<seq> |                  |
 *
 * A mailing batch holds up to 50 subscriber ids and their outcomes (the outbox and the ledger);
 * it expires (TTL) 90 days after its event ends.
 */
export const TABLE_KEYS = { partitionKey: "pk", sortKey: "sk" } as const;

export interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableSpec {
  readonly indexes: readonly IndexSpec[];
  /** Whether the table streams its changes (new and old images) to the pipeline. */
  readonly stream: boolean;
  /** The partition-key prefixes of its item families, for IAM conditions (dynamodb:LeadingKeys). */
  readonly itemFamilies: readonly string[];
}

export const EVENTS_TABLE = {
  indexes: [
    { indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { indexName: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    { indexName: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
    { indexName: "gsi4", partitionKey: "gsi4pk", sortKey: "gsi4sk" },
  ],
  stream: true,
  itemFamilies: ["EVENT#", "SLUG#", "SERIES#"],
} as const satisfies TableSpec;

export const AUDIENCE_INDEX = {
  indexName: "audience",
  partitionKey: "audiencePk",
  sortKey: "audienceSk",
} as const;

export const SUBSCRIBERS_TABLE = {
  indexes: [AUDIENCE_INDEX],
  stream: false,
  itemFamilies: ["SUBSCRIBER#", "RATE#", "DELIVERY#"],
} as const satisfies TableSpec;

/** Attribute DynamoDB TTL reads (epoch seconds), in both tables. */
export const TTL_ATTRIBUTE = "expiresAt";
