import { ValidationError } from "../../domain/errors";

/** Pagination cursors are DynamoDB's LastEvaluatedKey, opaque to clients (base64url JSON). */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;

export const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const valid =
      typeof key === "object" &&
      key !== null &&
      !Array.isArray(key) &&
      Object.values(key).every((value) => typeof value === "string");
    if (valid) return key;
  } catch {
    // Falls through to the error below.
  }
  throw new ValidationError([{ path: "cursor", message: "is not a cursor this API returned" }]);
};
