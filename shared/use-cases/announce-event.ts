import type { AnnouncementStore, FanOutCursor } from "../adapters/dynamodb/announcement-store";
import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import type { DeliveryBatch, DeliveryQueue } from "../adapters/sqs/delivery-queue";
import type { StoredEvent } from "../domain/event";

export interface AnnounceDeps {
  announcements: AnnouncementStore;
  subscribers: SubscriberRepository;
  queue: DeliveryQueue;
  languages: string[];
  defaultLanguage: string;
  now?: () => string;
}

/** Recipients per queue message; SES bulk sends and our ledger pages are sized for 50. */
export const RECIPIENTS_PER_BATCH = 50;
/** Queue messages written per SendMessageBatch, after which the cursor is saved. */
const MESSAGES_PER_FLUSH = 10;

/**
 * The languages whose subscribers hear of an event: those it is written in, and all of them
 * when it has the default language, which a mail falls back to.
 */
export const audienceLanguages = (
  event: StoredEvent,
  languages: string[],
  defaultLanguage: string,
): string[] =>
  event.translations[defaultLanguage]
    ? languages
    : languages.filter((language) => language in event.translations);

/**
 * Announces a newly published event: records the announcement once, then pages through the
 * confirmed subscribers who want it (Queries on the sparse audience index) and puts them on the
 * delivery queue in batches of 50. The cursor is saved after each flush, so a crash resumes from
 * the last saved page; a page put twice is harmless because the delivery ledger sends once.
 */
export const announceEvent = async (deps: AnnounceDeps, event: StoredEvent): Promise<void> => {
  const clock = deps.now ?? (() => new Date().toISOString());
  const announcement = await deps.announcements.startOrResume(event.id, clock());
  if (announcement.status === "done") return;

  const languages = audienceLanguages(event, deps.languages, deps.defaultLanguage);
  let cursor: FanOutCursor = announcement.cursor;
  let pending: DeliveryBatch[] = [];
  let pendingRecipients = 0;

  const flush = async () => {
    if (pending.length > 0) await deps.queue.enqueue(pending);
    await deps.announcements.saveProgress(event.id, cursor, pending.length, pendingRecipients);
    pending = [];
    pendingRecipients = 0;
  };

  while (cursor.languageIndex < languages.length) {
    const language = languages[cursor.languageIndex] as string;
    const page = await deps.subscribers.audiencePage(
      language,
      event.series,
      RECIPIENTS_PER_BATCH,
      cursor.startKey,
    );
    if (page.subscribers.length > 0) {
      pending.push({ eventId: event.id, subscriberIds: page.subscribers.map((subscriber) => subscriber.id) });
      pendingRecipients += page.subscribers.length;
    }
    cursor = page.next
      ? { languageIndex: cursor.languageIndex, startKey: page.next }
      : { languageIndex: cursor.languageIndex + 1 };
    if (pending.length >= MESSAGES_PER_FLUSH) await flush();
  }
  await flush();
  await deps.announcements.finish(event.id, clock());
};
