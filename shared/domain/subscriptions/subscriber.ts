import { ValidationError } from "../errors";
import { SLUG_PATTERN } from "../event";
import * as z from "../zod";
import { pseudonym, type SubscriberKeys } from "./keys";

export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed" | "suppressed";

export interface ConsentRecord {
  subscribedAt: string;
  confirmedAt?: string;
  language: string;
  /** Where the request came from, e.g. "api". */
  source: string;
  /** Keyed hash of the requesting IP: proof of the request without keeping the address. */
  subscribeIpHash: string;
  confirmIpHash?: string;
}

/** Someone who asked for mail (pending) or gets it (confirmed): the only records that hold an address. */
export interface ActiveSubscriber {
  /** A keyed hash of the address: the same address always finds its record, nobody can compute it without the key. */
  id: string;
  email: string;
  language: string;
  /** Series wanted; empty means all. */
  series: string[];
  /** Whether they want a reminder before each event they were announced; absent means yes (the default). */
  reminders?: boolean;
  status: "pending" | "confirmed";
  createdAt: string;
  updatedAt: string;
  consent: ConsentRecord;
  /** Signed into every link; raised on unsubscribe, so older links stop working. */
  linkVersion: number;
  /** Until when an unconfirmed subscription may be confirmed (epoch seconds; also the DynamoDB TTL). */
  expiresAt?: number;
  transientBounces?: number;
}

/**
 * What is left of someone who left or whose address bounced or complained: no address, no
 * consent record, no preferences. It keeps a re-subscription from reviving old links (the link
 * version goes on from here) and a suppressed address from being mailed, until it expires.
 */
export interface SubscriberTombstone {
  id: string;
  status: "unsubscribed" | "suppressed";
  /** The language of the pages a repeated one-click unsubscribe still shows. */
  language: string;
  updatedAt: string;
  linkVersion: number;
  /** When the tombstone is deleted (epoch seconds; the DynamoDB TTL). */
  expiresAt: number;
  suppressionReason?: string;
}

export type Subscriber = ActiveSubscriber | SubscriberTombstone;

/** How long a tombstone is kept after someone unsubscribed: old links stay refused that long. */
export const UNSUBSCRIBED_RETENTION_SECONDS = 365 * 24 * 60 * 60;
/** How long a bounced or complaining address stays suppressed (as a keyed hash) before it could subscribe again. */
export const SUPPRESSED_RETENTION_SECONDS = 2 * 365 * 24 * 60 * 60;

export const isActive = (subscriber: Subscriber): subscriber is ActiveSubscriber =>
  subscriber.status === "pending" || subscriber.status === "confirmed";

/** What an active subscriber leaves behind when they go: nothing that names them. */
export const tombstoneOf = (
  subscriber: Subscriber,
  status: SubscriberTombstone["status"],
  now: Date,
  suppressionReason?: string,
): SubscriberTombstone => ({
  id: subscriber.id,
  status,
  language: subscriber.language,
  updatedAt: now.toISOString(),
  // Leaving revokes every link mailed so far; a suppressed address keeps its version.
  linkVersion: subscriber.linkVersion + (status === "unsubscribed" ? 1 : 0),
  expiresAt:
    Math.floor(now.getTime() / 1000) +
    (status === "unsubscribed" ? UNSUBSCRIBED_RETENTION_SECONDS : SUPPRESSED_RETENTION_SECONDS),
  ...(suppressionReason ? { suppressionReason } : {}),
});

export interface SubscriptionRequest {
  email: string;
  language: string;
  series: string[];
  /** The form's hidden field was filled in: a bot. The request is answered like any other and dropped. */
  honeypot: boolean;
}

/** The subscribe form's field that people never see and bots fill in. */
export const HONEYPOT_FIELD = "website";

export const CONFIRMATION_TTL_SECONDS = 48 * 60 * 60;
/** Subscribe requests are counted per address in windows of this length. */
export const SUBSCRIBE_RATE_WINDOW_SECONDS = 60 * 60;

/**
 * A local part, then dot-separated domain labels that cannot contain a dot themselves: each
 * character has one way to match, so the check is linear (test/unit/regex-safety.test.ts).
 */
export const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/;
export const MAX_EMAIL_LENGTH = 254;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const subscriberIdFor = (keys: Pick<SubscriberKeys, "pseudonyms">, email: string): string =>
  pseudonym(keys, "subscriber-id", normaliseEmail(email)).slice(0, 32);

const emailField = z.string({ error: "must be an email address such as name@example.org" }).check(
  z.trim(),
  // abort: a long input is refused by its length alone, before any pattern sees it.
  z.maxLength(MAX_EMAIL_LENGTH, { error: `must be at most ${MAX_EMAIL_LENGTH} characters`, abort: true }),
  z.regex(EMAIL_PATTERN, "must be an email address such as name@example.org"),
);

const requestSchema = (languages: string[]) =>
  z.strictObject({
    email: emailField,
    language: z
      .string({ error: `must be one of: ${languages.join(", ")}` })
      .check(z.refine((code) => languages.includes(code), `must be one of: ${languages.join(", ")}`)),
    series: z._default(
      z
        .array(z.string({ error: "must be a series id" }).check(z.regex(SLUG_PATTERN, "must be a series id")))
        .check(z.maxLength(50, "must list at most 50 series")),
      [],
    ),
    [HONEYPOT_FIELD]: z.optional(z.string().check(z.maxLength(1_000))),
  });

const addressOnly = z.strictObject({ email: emailField });

/** `{ "email": "…" }`, the body of an erasure; throws a ValidationError naming what is wrong. */
export const parseAddress = (body: unknown): string => {
  const result = addressOnly.safeParse(body);
  if (!result.success) throw new ValidationError(z.fieldIssuesOf(result.error));
  return result.data.email;
};

/** Validates a subscription request; throws a ValidationError naming every bad field. */
export const parseSubscriptionRequest = (body: unknown, languages: string[]): SubscriptionRequest => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError([{ path: "", message: "must be a JSON object" }]);
  }
  const result = requestSchema(languages).safeParse(body);
  if (!result.success) {
    throw new ValidationError(z.fieldIssuesOf(result.error));
  }
  return {
    email: result.data.email,
    language: result.data.language,
    series: [...new Set(result.data.series)],
    honeypot: (result.data[HONEYPOT_FIELD] ?? "").trim() !== "",
  };
};

/** Whether an announcement of an event of `series` goes to this subscriber. */
export const wantsEvent = (
  subscriber: Subscriber,
  series: string,
): subscriber is ActiveSubscriber & { status: "confirmed" } =>
  subscriber.status === "confirmed" && (subscriber.series.length === 0 || subscriber.series.includes(series));
