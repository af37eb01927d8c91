/**
 * The single table's shape, shared by the CDK stack and the local runtime so both create the
 * same thing. Items are overloaded: `pk`/`sk` identify an item, the four global secondary
 * indexes are sparse (an item only appears in an index when it sets that index's keys).
 *
 * | item         | pk              | sk       | gsi1 (admin list)      | gsi2 (newest first)         | gsi3 (by start)            | gsi4 (series by start)           |
 * |--------------|-----------------|----------|------------------------|-----------------------------|----------------------------|----------------------------------|
 * | event        | EVENT#<id>      | EVENT    | EVENT / createdAt#id   | PUBLIC / publishedAt#id     | PUBLIC / startsAt#id       | SERIES#<series> / startsAt#id    |
 * | slug claim   | SLUG#<slug>     | SLUG     |                        |                             |                            |                                  |
 * | series       | SERIES#<id>     | SERIES   | SERIES / id            |                             |                            |                                  |
 *
 * Drafts only appear in gsi1; published and cancelled events appear in all four.
 */
export const TABLE_KEYS = { partitionKey: "pk", sortKey: "sk" } as const;

export const TABLE_INDEXES = [
  { indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  { indexName: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  { indexName: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  { indexName: "gsi4", partitionKey: "gsi4pk", sortKey: "gsi4sk" },
] as const;

/** Attribute DynamoDB TTL reads (epoch seconds). */
export const TTL_ATTRIBUTE = "expiresAt";
