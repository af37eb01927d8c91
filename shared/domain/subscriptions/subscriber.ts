import { createHash } from "node:crypto";
import { z } from "zod";
import { ValidationError } from "../errors";
import { SLUG_PATTERN } from "../event";

export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed" | "suppressed";

export interface ConsentRecord {
  subscribedAt: string;
  confirmedAt?: string;
  language: string;
  /** Where the request came from, e.g. "api". */
  source: string;
  /** Salted SHA-256 of the requesting IP: proof of the request without keeping the address. */
  subscribeIpHash: string;
  confirmIpHash?: string;
}

export interface Subscriber {
  /** Derived from the address, so the same address always maps to the same record. */
  id: string;
  email: string;
  language: string;
  /** Series wanted; empty means all. */
  series: string[];
  status: SubscriberStatus;
  createdAt: string;
  updatedAt: string;
  consent: ConsentRecord;
  /** Until when an unconfirmed subscription may be confirmed (epoch seconds; also the DynamoDB TTL). */
  expiresAt?: number;
  suppressionReason?: string;
  transientBounces?: number;
}

export interface SubscriptionRequest {
  email: string;
  language: string;
  series: string[];
}

export const CONFIRMATION_TTL_SECONDS = 48 * 60 * 60;

/**
 * A local part, then dot-separated domain labels that cannot contain a dot themselves: each
 * character has one way to match, so the check is linear (test/unit/regex-safety.test.ts).
 */
export const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/;
export const MAX_EMAIL_LENGTH = 254;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const subscriberIdFor = (email: string): string =>
  createHash("sha256").update(normaliseEmail(email)).digest("hex").slice(0, 32);

const requestSchema = (languages: string[]) =>
  z.strictObject({
    email: z
      .string()
      .trim()
      // abort: a long input is refused by its length alone, before any pattern sees it.
      .max(MAX_EMAIL_LENGTH, { message: `must be at most ${MAX_EMAIL_LENGTH} characters`, abort: true })
      .regex(EMAIL_PATTERN, "must be an email address such as name@example.org"),
    language: z
      .string()
      .refine((code) => languages.includes(code), `must be one of: ${languages.join(", ")}`),
    series: z
      .array(z.string().regex(SLUG_PATTERN, "must be a series id"))
      .max(50, "must list at most 50 series")
      .default([]),
  });

/** Validates a subscription request; throws a ValidationError naming every bad field. */
export const parseSubscriptionRequest = (body: unknown, languages: string[]): SubscriptionRequest => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ path: "", message: "must be a JSON object" }]);
  }
  const result = requestSchema(languages).safeParse(body);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message:
          issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
      })),
    );
  }
  return { ...result.data, email: result.data.email, series: [...new Set(result.data.series)] };
};

/** Whether an announcement of an event of `series` goes to this subscriber. */
export const wantsEvent = (subscriber: Pick<Subscriber, "series" | "status">, series: string): boolean =>
  subscriber.status === "confirmed" && (subscriber.series.length === 0 || subscriber.series.includes(series));
