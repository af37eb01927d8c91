import type { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import {
  type ActiveSubscriber,
  normaliseEmail,
  type Subscriber,
  type SubscriberStatus,
  type SubscriberTombstone,
  subscriberIdFor,
  tombstoneOf,
} from "../../shared/domain/subscriptions/subscriber";
import { TEST_KEYS } from "./local-aws";

/** The id the handlers under test give an address. */
export const testSubscriberId = (email: string): string => subscriberIdFor(TEST_KEYS, email);

/** A subscriber record as the subscription use cases leave it, for tests that set up state directly. */
export const subscriberRecord = (
  email: string,
  options: { language?: string; series?: string[]; status?: ActiveSubscriber["status"] } = {},
): ActiveSubscriber => {
  const now = new Date().toISOString();
  const status = options.status ?? "confirmed";
  const language = options.language ?? "en";
  return {
    id: testSubscriberId(email),
    email: normaliseEmail(email),
    language,
    series: options.series ?? [],
    status,
    createdAt: now,
    updatedAt: now,
    linkVersion: 1,
    ...(status === "pending" ? { expiresAt: Math.floor(Date.now() / 1000) + 48 * 3600 } : {}),
    consent: {
      subscribedAt: now,
      language,
      source: "test",
      subscribeIpHash: "0".repeat(64),
      ...(status === "pending" ? {} : { confirmedAt: now }),
    },
  };
};

/** What unsubscribing or a bounce leaves of an address: a tombstone, no address. */
export const tombstoneRecord = (
  email: string,
  status: SubscriberTombstone["status"],
  options: { language?: string } = {},
): SubscriberTombstone =>
  tombstoneOf(
    subscriberRecord(email, options),
    status,
    new Date(),
    status === "suppressed" ? "bounce:Permanent" : undefined,
  );

/** A record in any state, as the use cases would leave it. */
export const recordInState = (
  email: string,
  options: { language?: string; series?: string[]; status?: SubscriberStatus } = {},
): Subscriber =>
  options.status === "unsubscribed" || options.status === "suppressed"
    ? tombstoneRecord(email, options.status, options)
    : subscriberRecord(email, { ...options, status: options.status });

/** Writes subscribers a few at a time (new records only). */
export const saveSubscribers = async (repository: SubscriberRepository, subscribers: Subscriber[]) => {
  for (let start = 0; start < subscribers.length; start += 25) {
    await Promise.all(
      subscribers.slice(start, start + 25).map((subscriber) => repository.save(subscriber, undefined)),
    );
  }
};

/** Every id the audience index returns for a language and series, page after page. */
export const audienceIds = async (
  repository: SubscriberRepository,
  language: string,
  series: string,
): Promise<string[]> => {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await repository.audienceIds(language, series, 50, after);
    ids.push(...page.subscriberIds);
    after = page.after;
  } while (after);
  return ids;
};
