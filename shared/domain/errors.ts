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
