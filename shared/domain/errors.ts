/** What can go wrong in the domain, independent of transport. shared/http maps these to status codes once. */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `translations.ka.title`; "" for the whole body. */
  path: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(
    readonly issues: FieldIssue[],
    message = "The request is not valid",
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The request clashes with the current state: a taken slug, an illegal status change, a concurrent edit. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "ConflictError";
  }
}

/** Too many requests for one subject (an address) within a window; answered the same for every state. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

/** A signed link that is malformed, forged, for another purpose, or expired. */
export class InvalidLinkError extends Error {
  constructor(
    readonly reason:
      | "malformed"
      | "forged"
      | "expired"
      | "wrong-purpose"
      | "unknown-subscriber"
      | "revoked"
      | "left",
    /** The language of the subscriber the link was for, when known: the page answers in it. */
    readonly language?: string,
  ) {
    super(`This link is not valid (${reason})`);
    this.name = "InvalidLinkError";
  }
}
