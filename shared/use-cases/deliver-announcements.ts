import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import { type Mailer, RejectedError, sendWithBackoff } from "../adapters/ses/mailer";
import type { DeliveryBatch } from "../adapters/sqs/delivery-queue";
import type { Config } from "../config";
import type { StoredEvent } from "../domain/event";
import { eventTextFor } from "../domain/event-text";
import { eventEndInstant } from "../domain/event-time";
import type { LinkKeyring } from "../domain/subscriptions/keys";
import { calendarLink, subscriptionLink } from "../domain/subscriptions/links";
import { type Subscriber, wantsEvent } from "../domain/subscriptions/subscriber";
import { seriesName } from "../domain/translations";
import { eventPageUrl } from "../render/feeds/feed-item";
import { renderAnnouncementMail } from "../render/mail/announcement-mail";

/** How long after an event ends its delivery rows are kept: notices and ops questions come before that. */
export const LEDGER_RETENTION_AFTER_EVENT_SECONDS = 90 * 24 * 60 * 60;

const ledgerExpiry = (event: StoredEvent): number =>
  Math.floor(Date.parse(eventEndInstant(event)) / 1000) + LEDGER_RETENTION_AFTER_EVENT_SECONDS;

export interface DeliverDeps {
  events: EventRepository;
  subscribers: SubscriberRepository;
  ledger: DeliveryLedger;
  mailer: Mailer;
  links: LinkKeyring;
  config: Config;
  now?: () => string;
  /** Waits between retries of a throttled send. */
  sleep?: (milliseconds: number) => Promise<void>;
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  failed: number;
  /** Sent, but the ledger could not record it: the one window, left "sending" for ops to see. */
  inDoubt: number;
}

/** Some mails of a batch could not be sent now; the queue retries the batch (sent ones are skipped). */
export class IncompleteDeliveryError extends Error {
  override name = "IncompleteDeliveryError";
  constructor(
    message: string,
    readonly report: DeliveryReport,
  ) {
    super(message);
  }
}

const runWithConcurrency = async <T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

const announcementFor = (
  deps: DeliverDeps,
  event: StoredEvent,
  seriesTitle: string | undefined,
  subscriber: Subscriber,
) => {
  const { publicUrl, siteUrl, defaultLanguage } = deps.config;
  // The event page in the language the mail's event text is in.
  const { language } = eventTextFor(event, subscriber.language, defaultLanguage);
  return renderAnnouncementMail({
    event,
    seriesName: seriesTitle,
    language: subscriber.language,
    defaultLanguage,
    links: {
      eventUrl: eventPageUrl(siteUrl, language, event.slug),
      calendarUrl: calendarLink(publicUrl, event.id),
      manageUrl: subscriptionLink(publicUrl, deps.links, "manage", subscriber),
      unsubscribeUrl: subscriptionLink(publicUrl, deps.links, "unsubscribe", subscriber),
    },
    sender: { organisation: deps.config.organisationName, postalAddress: deps.config.postalAddress },
  });
};

/**
 * Sends one queue message's announcement mails, each at most once: claim in the ledger, send,
 * mark sent. Throws IncompleteDeliveryError when some could not be sent now, so the message is
 * retried (and after the queue's maxReceiveCount, kept in the dead-letter queue).
 */
export const deliverBatch = async (deps: DeliverDeps, batch: DeliveryBatch): Promise<DeliveryReport> => {
  const report: DeliveryReport = { sent: 0, skipped: 0, failed: 0, inDoubt: 0 };
  const clock = deps.now ?? (() => new Date().toISOString());
  const event = await deps.events.getEvent(batch.eventId);
  // Cancelled (or gone) before its mail went out: there is nothing left to announce.
  if (event?.status !== "published") return { ...report, skipped: batch.subscriberIds.length };
  const series = await deps.events.getSeries(event.series);
  const subscribers = await deps.subscribers.getMany(batch.subscriberIds);
  report.skipped += batch.subscriberIds.length - subscribers.length;

  await runWithConcurrency(subscribers, deps.config.sendConcurrency, async (subscriber) => {
    if (!wantsEvent(subscriber, event.series)) {
      report.skipped++;
      return;
    }
    if ((await deps.ledger.claim(event.id, subscriber.id, clock(), ledgerExpiry(event))) !== "claimed") {
      report.skipped++;
      return;
    }
    const mail = announcementFor(
      deps,
      event,
      seriesName(series, subscriber.language, deps.config.defaultLanguage),
      subscriber,
    );
    let messageId: string;
    try {
      messageId = await sendWithBackoff(
        deps.mailer,
        {
          ...mail,
          to: subscriber.email,
          tags: { kind: "announcement", event: event.id, subscriber: subscriber.id },
        },
        deps.sleep,
      );
    } catch (error) {
      if (error instanceof RejectedError) {
        await deps.ledger.markFailed(event.id, subscriber.id, error.message);
        report.skipped++;
        return;
      }
      // The send surely did not happen: free the claim so the retried batch sends it.
      await deps.ledger.release(event.id, subscriber.id, (error as Error).name);
      report.failed++;
      return;
    }
    report.sent++;
    try {
      await deps.ledger.markSent(event.id, subscriber.id, messageId, clock());
    } catch {
      // Sent, but not recorded: the row stays "sending" (listInDoubt) and is never sent again.
      report.inDoubt++;
    }
  });
  if (report.failed > 0) {
    throw new IncompleteDeliveryError(
      `${report.failed} of ${batch.subscriberIds.length} mails were not sent; retrying the batch`,
      report,
    );
  }
  return report;
};
