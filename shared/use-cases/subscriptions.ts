import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import type { SubscriptionRequestQueue } from "../adapters/sqs/subscription-requests";
import type { Config } from "../config";
import { ConflictError, InvalidLinkError, RateLimitedError, ValidationError } from "../domain/errors";
import type { Series } from "../domain/event";
import { pseudonym, type SubscriberKeys } from "../domain/subscriptions/keys";
import {
  type ActiveSubscriber,
  isActive,
  normaliseEmail,
  parseSubscriptionRequest,
  SUBSCRIBE_RATE_WINDOW_SECONDS,
  type Subscriber,
  subscriberIdFor,
  tombstoneOf,
} from "../domain/subscriptions/subscriber";
import { type TokenPurpose, verifyToken } from "../domain/subscriptions/tokens";

/** What the public API needs for subscriptions; mails go out from the subscription mailer. */
export interface SubscriptionDeps {
  subscribers: SubscriberRepository;
  events: EventRepository;
  requests: SubscriptionRequestQueue;
  keys: SubscriberKeys;
  config: Config;
  now?: () => Date;
}

/** A double click or double submit races one request against another: the loser reads again and re-applies. */
const retryOnConflict = async <T>(work: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
};

const nowOf = (deps: SubscriptionDeps) => (deps.now ?? (() => new Date()))();
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Keyed, so the consent record proves a request without storing the address it came from. */
const hashIp = (deps: SubscriptionDeps, ip: string) => pseudonym(deps.keys, "ip-hash", ip);

const requireKnownSeries = async (deps: SubscriptionDeps, series: string[]) => {
  // Most people want every series: then there is nothing to look up.
  if (series.length === 0) return;
  const known = new Set((await deps.events.listSeries()).map((item) => item.id));
  const unknown = series.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((id) => ({ path: "series", message: `no series with id "${id}"` })),
    );
  }
};

/**
 * Takes a subscription request: validates it, counts it (per address and per client), and queues
 * it for the subscription mailer. Every request that passes those checks does exactly the same
 * work here whatever the address's state (new, pending, confirmed, left, suppressed), so neither
 * the answer nor its timing tells anyone who subscribes; only the owner of the address learns
 * more, from the mail. A filled-in honeypot field is answered alike and dropped.
 */
export const subscribe = async (
  deps: SubscriptionDeps,
  body: unknown,
  context: { ip: string },
): Promise<void> => {
  const request = parseSubscriptionRequest(body, deps.config.languages);
  await requireKnownSeries(deps, request.series);
  const now = nowOf(deps);
  const id = subscriberIdFor(deps.keys, request.email);
  const ipHash = hashIp(deps, context.ip);
  const window = SUBSCRIBE_RATE_WINDOW_SECONDS;
  const [forAddress, forClient] = await Promise.all([
    deps.subscribers.countRequest(id, window, seconds(now)),
    deps.subscribers.countRequest(`ip-${ipHash}`, window, seconds(now)),
  ]);
  const retryAfter = window - (seconds(now) % window);
  if (forAddress > deps.config.subscribeRequestsPerHour) {
    throw new RateLimitedError("Too many requests for this address; try again later", retryAfter);
  }
  if (forClient > deps.config.subscribeRequestsPerClientPerHour) {
    throw new RateLimitedError(
      "Too many subscription requests from this network; try again later",
      retryAfter,
    );
  }
  if (request.honeypot) return;
  await deps.requests.enqueue({
    subscriberId: id,
    email: normaliseEmail(request.email),
    language: request.language,
    series: request.series,
    ipHash,
    requestedAt: now.toISOString(),
  });
};

/**
 * Checks a link's token and finds its subscriber; anything off is an InvalidLinkError that
 * changes nothing. A link signed for an older link version was revoked (its holder left since),
 * except that a repeated one-click unsubscribe of someone who already left still answers as done.
 */
export const subscriberFromToken = async (
  deps: SubscriptionDeps,
  token: string | undefined,
  purpose: TokenPurpose,
): Promise<Subscriber> => {
  const check = verifyToken(deps.keys.links, token ?? "", purpose, seconds(nowOf(deps)));
  if (!check.ok) throw new InvalidLinkError(check.reason);
  const subscriber = await deps.subscribers.get(check.claims.subscriberId);
  if (!subscriber) throw new InvalidLinkError("unknown-subscriber");
  const alreadyLeft = purpose === "unsubscribe" && !isActive(subscriber);
  if (check.claims.version !== subscriber.linkVersion && !alreadyLeft) {
    // Leaving renews the links, so an old link of someone who left says they left.
    throw new InvalidLinkError(isActive(subscriber) ? "revoked" : "left", subscriber.language);
  }
  return subscriber;
};

/** As subscriberFromToken, for pages only a current subscriber may use (manage). */
export const activeSubscriberFromToken = async (
  deps: SubscriptionDeps,
  token: string | undefined,
  purpose: TokenPurpose,
): Promise<ActiveSubscriber> => {
  const subscriber = await subscriberFromToken(deps, token, purpose);
  if (!isActive(subscriber)) throw new InvalidLinkError("left", subscriber.language);
  return subscriber;
};

/** Confirms a pending subscription (the POST behind the confirmation link's button). Idempotent. */
export const confirmSubscription = async (
  deps: SubscriptionDeps,
  token: string | undefined,
  context: { ip: string },
): Promise<Subscriber> =>
  retryOnConflict(async () => {
    const subscriber = await subscriberFromToken(deps, token, "confirm");
    if (subscriber.status === "confirmed") return subscriber;
    const now = nowOf(deps);
    // The TTL deletes expired requests eventually; until it does, this check refuses them.
    if (subscriber.status !== "pending" || (subscriber.expiresAt ?? 0) < seconds(now)) {
      throw new InvalidLinkError("expired");
    }
    const { expiresAt: _expired, ...rest } = subscriber;
    const confirmed: ActiveSubscriber = {
      ...rest,
      status: "confirmed",
      updatedAt: now.toISOString(),
      consent: {
        ...subscriber.consent,
        confirmedAt: now.toISOString(),
        confirmIpHash: hashIp(deps, context.ip),
      },
    };
    await deps.subscribers.save(confirmed, subscriber);
    return confirmed;
  });

/**
 * One-click unsubscribe (RFC 8058): idempotent, effective for the very next announcement. The
 * address, consent record and preferences go; a tombstone keyed by the id stays for a while.
 */
export const unsubscribe = (deps: SubscriptionDeps, token: string | undefined): Promise<Subscriber> =>
  retryOnConflict(async () => {
    const subscriber = await subscriberFromToken(deps, token, "unsubscribe");
    if (!isActive(subscriber)) return subscriber;
    const unsubscribed = tombstoneOf(subscriber, "unsubscribed", nowOf(deps));
    await deps.subscribers.save(unsubscribed, subscriber);
    return unsubscribed;
  });

export interface Preferences {
  language: string;
  series: string[];
  /** Absent when the form did not carry the choice (kept as it was). */
  reminders?: boolean;
}

/** Reads the form of the manage page: a language and the wanted series (none = all). */
const parsePreferences = (form: URLSearchParams, languages: string[]): Preferences => {
  const language = form.get("language") ?? "";
  if (!languages.includes(language)) {
    throw new ValidationError([{ path: "language", message: `must be one of: ${languages.join(", ")}` }]);
  }
  // The form sends "no" from a hidden field, then "yes" when the box is ticked.
  const reminders = form.getAll("reminders");
  return {
    language,
    series: [...new Set(form.getAll("series").filter(Boolean))],
    ...(reminders.length > 0 ? { reminders: reminders.includes("yes") } : {}),
  };
};

/** Changes language and series from the manage page's form; the link is checked before the form. */
export const updatePreferences = async (
  deps: SubscriptionDeps,
  token: string | undefined,
  form: URLSearchParams,
): Promise<ActiveSubscriber> =>
  retryOnConflict(async () => {
    const subscriber = await activeSubscriberFromToken(deps, token, "manage");
    const preferences = parsePreferences(form, deps.config.languages);
    await requireKnownSeries(deps, preferences.series);
    const updated: ActiveSubscriber = {
      ...subscriber,
      language: preferences.language,
      series: preferences.series,
      ...(preferences.reminders !== undefined ? { reminders: preferences.reminders } : {}),
      updatedAt: nowOf(deps).toISOString(),
    };
    await deps.subscribers.save(updated, subscriber);
    return updated;
  });

export const listAllSeries = (deps: SubscriptionDeps): Promise<Series[]> => deps.events.listSeries();
