import { randomUUID } from "node:crypto";
import type { AttributeValue, DynamoDBRecord } from "aws-lambda";

export type Item = Record<string, AttributeValue>;

export interface ItemChange {
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
}

export interface StreamRecordFactory {
  /** The record DynamoDB Streams would write for this change; undefined when nothing changed. */
  recordOf(change: ItemChange): DynamoDBRecord | undefined;
}

/** Builds NEW_AND_OLD_IMAGES records with sequence numbers that only grow, even across restarts. */
export const createStreamRecordFactory = (source: {
  streamArn: string;
  region: string;
}): StreamRecordFactory => {
  let sequence = BigInt(Date.now()) * 1_000_000n;
  return {
    recordOf({ keys, oldImage, newImage }) {
      // DynamoDB writes no stream record for a write that leaves the item as it was.
      if (canonical(oldImage) === canonical(newImage)) return undefined;
      sequence += 1n;
      return {
        eventID: randomUUID().replaceAll("-", ""),
        eventName: !oldImage ? "INSERT" : !newImage ? "REMOVE" : "MODIFY",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: source.region,
        eventSourceARN: source.streamArn,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: keys,
          ...(newImage && { NewImage: newImage }),
          ...(oldImage && { OldImage: oldImage }),
          SequenceNumber: sequence.toString(),
          SizeBytes: Buffer.byteLength(JSON.stringify([keys, newImage, oldImage])),
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
      };
    },
  };
};

/** JSON with object keys sorted, so two reads of the same item compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, nested: unknown) =>
    nested && typeof nested === "object" && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  ) ?? "";
