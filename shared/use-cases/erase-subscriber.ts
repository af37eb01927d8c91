import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import type { SubscriberKeys } from "../domain/subscriptions/keys";
import {
  parseAddress,
  SUBSCRIBE_RATE_WINDOW_SECONDS,
  subscriberIdFor,
} from "../domain/subscriptions/subscriber";

export interface EraseDeps {
  subscribers: SubscriberRepository;
  ledger: DeliveryLedger;
  events: EventRepository;
  keys: Pick<SubscriberKeys, "pseudonyms">;
  now?: () => Date;
}

export interface ErasureReport {
  /** Published and cancelled events whose delivery records were cleared of the address. */
  eventsChecked: number;
}

const PAGE = 100;
/** Deletes in flight at once: an erasure is an ops command, not a hot path, but should not take minutes. */
const CONCURRENCY = 16;

/**
 * Removes a person everywhere eventcast keeps them: the subscriber record (active or tombstone),
 * its request counters and its rows in every event's delivery ledger. It reads every published
 * event (not every subscriber), so its cost grows with the programme: an ops command, run on
 * request. It answers the same whether the address was known or not.
 */
export const eraseSubscriber = async (deps: EraseDeps, body: unknown): Promise<ErasureReport> => {
  const email = parseAddress(body);
  const id = subscriberIdFor(deps.keys, email);
  const now = Math.floor((deps.now ?? (() => new Date()))().getTime() / 1000);
  await deps.subscribers.erase(id, SUBSCRIBE_RATE_WINDOW_SECONDS, now);
  let eventsChecked = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.events.listPublicEventsNewestFirst(PAGE, cursor);
    for (let start = 0; start < page.items.length; start += CONCURRENCY) {
      await Promise.all(
        page.items.slice(start, start + CONCURRENCY).map((event) => deps.ledger.forget(event.id, id)),
      );
    }
    eventsChecked += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return { eventsChecked };
};
