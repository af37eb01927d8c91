import type { AttributeValue } from "aws-lambda";
import type { Item } from "./stream-records";

const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);

/**
 * The keys of the table's items that a DynamoDB request may change, in request order; undefined
 * for reads, other tables, and what dynalite cannot do anyway (TransactWriteItems).
 */
export const keysWritten = (
  operation: string,
  body: Buffer,
  table: { name: string; keyAttributes: readonly string[] },
): Item[] | undefined => {
  if (!WRITE_OPERATIONS.has(operation)) return undefined;
  const request = parseJson(body);
  if (!isRecord(request)) return undefined;
  // Request bodies are DynamoDB JSON, so attribute values already have the stream's shape.
  const keysOf = (item: unknown): Item =>
    Object.fromEntries(
      table.keyAttributes.flatMap((name) =>
        isRecord(item) && item[name] ? [[name, item[name] as AttributeValue]] : [],
      ),
    );
  if (operation === "BatchWriteItem") {
    const writes = isRecord(request.RequestItems) ? request.RequestItems[table.name] : undefined;
    if (!Array.isArray(writes)) return undefined;
    return writes.map((write: unknown) => {
      if (!isRecord(write)) return {};
      if (isRecord(write.PutRequest)) return keysOf(write.PutRequest.Item);
      return keysOf(isRecord(write.DeleteRequest) ? write.DeleteRequest.Key : undefined);
    });
  }
  if (request.TableName !== table.name) return undefined;
  return [keysOf(operation === "PutItem" ? request.Item : request.Key)];
};

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
