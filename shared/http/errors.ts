import {
  ConflictError,
  type FieldIssue,
  InvalidLinkError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from "../domain/errors";

/** An HTTP-level refusal (auth, routing, body framing) with the status it answers with. */
/** A link that once worked and no longer does is gone (410); one that never could is a bad request (400). */
export const invalidLinkStatus = (reason: InvalidLinkError["reason"]): 410 | 400 =>
  reason === "expired" || reason === "revoked" || reason === "left" ? 410 : 400;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface ErrorResponseBody {
  message: string;
  errors?: FieldIssue[];
}

/** The one mapping from errors to responses; anything unknown is a 500 with no detail leaked. */
export const toErrorResponse = (
  error: unknown,
): { statusCode: number; headers: Record<string, string>; body: ErrorResponseBody } => {
  if (error instanceof HttpError) {
    return {
      statusCode: error.statusCode,
      headers: error.headers,
      body: { message: error.message, ...(error.issues ? { errors: error.issues } : {}) },
    };
  }
  if (error instanceof ValidationError) {
    return { statusCode: 400, headers: {}, body: { message: error.message, errors: error.issues } };
  }
  if (error instanceof NotFoundError)
    return { statusCode: 404, headers: {}, body: { message: error.message } };
  if (error instanceof ConflictError) {
    const errors = error.path === undefined ? undefined : [{ path: error.path, message: error.message }];
    return { statusCode: 409, headers: {}, body: { message: error.message, ...(errors ? { errors } : {}) } };
  }
  if (error instanceof RateLimitedError) {
    return {
      statusCode: 429,
      headers: { "Retry-After": String(error.retryAfterSeconds) },
      body: { message: error.message },
    };
  }
  if (error instanceof InvalidLinkError) {
    return {
      statusCode: invalidLinkStatus(error.reason),
      headers: {},
      body: { message: error.message },
    };
  }
  return { statusCode: 500, headers: {}, body: { message: "Internal error" } };
};
