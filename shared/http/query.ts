import { ValidationError } from "../domain/errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=` as a page size: 1..100, 20 when absent. */
export const pageLimit = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError([
      { path: "limit", message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return limit;
};

/** A query parameter restricted to a set of values. */
export const oneOf = <T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T => {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new ValidationError([{ path: name, message: `must be one of: ${allowed.join(", ")}` }]);
  }
  return value as T;
};
