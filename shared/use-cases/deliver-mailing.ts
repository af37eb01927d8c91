import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import type { MailingStore } from "../adapters/dynamodb/mailing-store";
import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import {
  type BulkMail,
  type BulkMailEntry,
  backoffMs,
  type Mailer,
  NotSentError,
  THROTTLE_RETRIES,
  ThrottledError,
  UnknownOutcomeError,
  verdictOf,
} from "../adapters/ses/mailer";
import type { Config } from "../config";
import type { Series, StoredEvent } from "../domain/event";
import { eventTextFor } from "../domain/event-text";
import {
  type BatchKey,
  eventStatusFor,
  isUnsent,
  type MailingKind,
  mailingKindOf,
  type PlannedBatch,
  pendingRecipients,
  type RecipientOutcome,
} from "../domain/mailings";
import { type MaterialFacts, materialFactsOf, materialKey } from "../domain/material-change";
import type { LinkKeyring } from "../domain/subscriptions/keys";
import { calendarLink, subscriptionLink } from "../domain/subscriptions/links";
import {
  type ActiveSubscriber,
  isActive,
  type Subscriber,
  wantsEvent,
} from "../domain/subscriptions/subscriber";
import { seriesName } from "../domain/translations";
import { eventPageUrl } from "../render/feeds/feed-item";
import { renderAnnouncementMail } from "../render/mail/announcement-mail";
import { type BulkTemplate, bulkTemplate, recipientValues } from "../render/mail/bulk-template";
import { eventToday } from "../render/mail/follow-up-headlines";
import { requireHttpUrl } from "../render/mail/mail-layout";

export interface DeliverDeps {
  events: EventRepository;
  subscribers: SubscriberRepository;
  ledger: DeliveryLedger;
  /** Where a notice's mail finds what subscribers were told before (its mailing record). */
  mailings?: Pick<MailingStore, "get">;
  mailer: Pick<Mailer, "sendBulk">;
  links: LinkKeyring;
  config: Config;
  /** The clock: claims and records are stamped with it, and a reminder's words ("Tomorrow") are from it. */
  now?: () => string;
  /** Waits between retries of throttled entries. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Bulk templates already rendered, kept across the batches a warm function sends. */
  templates?: TemplateCache;
}

export interface DeliveryReport {
  sent: number;
  /** Refused by SES for good (recorded, never retried). */
  refused: number;
  /** Left, unsubscribed, changed series, or the event is no longer announced. */
  skipped: number;
  /** Not sent now (throttled past the retries, account or configuration held): the batch is retried. */
  pending: number;
  /** Handed to SES without an answer: the batch stays claimed and is never sent again (the window). */
  inDoubt: number;
  /** The batch was not claimed: already sent, in doubt, or unknown (a duplicate or stale message). */
  untouched?: PlannedBatch["status"] | "missing";
  /** Why recipients are in doubt: the bulk call's error, or the ledger write that failed after it. */
  cause?: string;
}

/** Some recipients of the batch could not be sent now; the queue retries it (only they are sent). */
export class IncompleteDeliveryError extends Error {
  override name = "IncompleteDeliveryError";
  constructor(
    message: string,
    readonly report: DeliveryReport,
  ) {
    super(message);
  }
}

/** The per-recipient values of every mailing's template: their own links. */
const RECIPIENT_LINKS = ["manageUrl", "unsubscribeUrl"] as const;
type RecipientLink = (typeof RECIPIENT_LINKS)[number];
type MailTemplate = BulkTemplate<RecipientLink>;

/**
 * Templates by event revision, series change, language, "old" facts and, for a reminder, the day;
 * a handful is all a function needs at once.
 */
export class TemplateCache {
  private readonly entries = new Map<string, MailTemplate>();
  constructor(private readonly size = 32) {}

  get(key: string, render: () => MailTemplate): MailTemplate {
    const found = this.entries.get(key);
    if (found) return found;
    const made = render();
    this.entries.set(key, made);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return made;
  }
}

const clockOf = (deps: Pick<DeliverDeps, "now">): (() => string) =>
  deps.now ?? (() => new Date().toISOString());

const wait = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Why a planned recipient is not sent, or undefined when they are. */
const skipReason = (
  kind: MailingKind,
  event: StoredEvent,
  subscriber: Subscriber | undefined,
): string | undefined => {
  if (!subscriber) return "gone";
  if (subscriber.status !== "confirmed") return subscriber.status;
  if (kind === "reminder" && subscriber.reminders === false) return "no reminders";
  return wantsEvent(subscriber, event.series) ? undefined : "series";
};

/** Whether the event still calls for this mailing: cancelled (or gone) since, an announcement has nothing left to say. */
const stillDue = (key: BatchKey, event: StoredEvent | undefined): boolean =>
  event?.status === eventStatusFor(mailingKindOf(key.mailing));

/**
 * What else a mailing's words depend on besides the event: a reminder's "Today" or "Tomorrow" is
 * from the day it is sent in the event's zone, so a template made yesterday is not today's.
 */
const wordingDay = (key: BatchKey, event: StoredEvent, now: string): string =>
  mailingKindOf(key.mailing) === "reminder" ? eventToday(event, now) : "";

/** A notice's "old" facts, its batch's own (what its recipients were shown) or its mailing's; undefined for the other kinds. */
const previousOf = async (
  deps: DeliverDeps,
  key: BatchKey,
  batch: Pick<PlannedBatch, "previous">,
): Promise<MaterialFacts | undefined> => {
  if (mailingKindOf(key.mailing) !== "notice") return undefined;
  if (batch.previous) return batch.previous;
  if (!deps.mailings) throw new Error("A notice's batch needs the mailing store (DeliverDeps.mailings)");
  const mailing = await deps.mailings.get(key);
  if (!mailing?.previous) throw new Error(`Notice ${key.eventId}/${key.mailing} has no previous facts`);
  return mailing.previous;
};

const mailingTemplate = (
  deps: DeliverDeps,
  key: BatchKey,
  previous: MaterialFacts | undefined,
  event: StoredEvent,
  series: Series | undefined,
  language: string,
  now: string,
): MailTemplate => {
  const { publicUrl, siteUrl, defaultLanguage } = deps.config;
  // The event page in the language the mail's event text is in.
  const textLanguage = eventTextFor(event, language, defaultLanguage).language;
  return bulkTemplate(RECIPIENT_LINKS, (links) =>
    renderAnnouncementMail({
      kind: mailingKindOf(key.mailing),
      ...(previous ? { previous } : {}),
      now,
      event,
      seriesName: seriesName(series, language, defaultLanguage),
      language,
      defaultLanguage,
      links: {
        eventUrl: eventPageUrl(siteUrl, textLanguage, event.slug),
        calendarUrl: calendarLink(publicUrl, event.id, textLanguage),
        ...links,
      },
      sender: { organisation: deps.config.organisationName, postalAddress: deps.config.postalAddress },
    }),
  );
};

/** One recipient's entry: their own signed links, as data and in their List-Unsubscribe header. */
const entryOf = (deps: DeliverDeps, template: MailTemplate, subscriber: ActiveSubscriber): BulkMailEntry => {
  // Normalised as the renderer normalises every link it writes, so the mail is the one it would render.
  const values = recipientValues(template, {
    manageUrl: requireHttpUrl(
      "manageUrl",
      subscriptionLink(deps.config.publicUrl, deps.links, "manage", subscriber),
    ),
    unsubscribeUrl: requireHttpUrl(
      "unsubscribeUrl",
      subscriptionLink(deps.config.publicUrl, deps.links, "unsubscribe", subscriber),
    ),
  });
  return {
    to: subscriber.email,
    data: values.data,
    headers: values.headers,
    tags: { subscriber: subscriber.id },
  };
};

const bulkMailOf = (
  key: BatchKey,
  template: MailTemplate,
  event: StoredEvent,
  entries: BulkMailEntry[],
): BulkMail => ({
  subject: template.subject,
  html: template.html,
  text: template.text,
  data: template.data,
  headers: template.headers,
  attachments: template.attachments,
  tags: { kind: mailingKindOf(key.mailing), event: event.id },
  entries,
});

const groupByLanguage = (subscribers: ActiveSubscriber[]): ActiveSubscriber[][] => {
  const groups = new Map<string, ActiveSubscriber[]>();
  for (const subscriber of subscribers) {
    const group = groups.get(subscriber.language) ?? [];
    group.push(subscriber);
    groups.set(subscriber.language, group);
  }
  return [...groups.values()];
};

/** What a batch's bulk calls need, read before it is claimed: nothing to undo when the process dies meanwhile. */
export interface PreparedBatch {
  key: BatchKey;
  event: StoredEvent | undefined;
  /** The recipients the batch still had to send when read, by id. */
  recipients: Map<string, Subscriber>;
  series: Series | undefined;
  /** A notice's "old" facts. */
  previous?: MaterialFacts;
  /** Only when the event still calls for the mailing and the batch was unsent when read. */
  ready: boolean;
  /**
   * The entries of the recipients read, links signed, with the template they were made for: made
   * while the previous batch is with SES, so that signing is off the bulk calls' path.
   */
  entries: Map<string, { subscriber: Subscriber; template: MailTemplate; entry: BulkMailEntry }>;
}

const templateFor = (
  deps: DeliverDeps,
  templates: TemplateCache,
  key: BatchKey,
  previous: MaterialFacts | undefined,
  event: StoredEvent,
  series: Series | undefined,
  language: string,
  now: string,
) =>
  templates.get(
    `${event.id}#${key.mailing}#${event.revision}#${event.updatedAt}#${series?.updatedAt ?? ""}#${language}#${
      previous ? materialKey(previous) : ""
    }#${wordingDay(key, event, now)}`,
    () => mailingTemplate(deps, key, previous, event, series, language, now),
  );

/** Reads a batch, its event, recipients and series, and renders its templates (kept in deps.templates). */
export const prepareBatch = async (deps: DeliverDeps, key: BatchKey): Promise<PreparedBatch> => {
  const [batch, event] = await Promise.all([deps.ledger.get(key), deps.events.getEvent(key.eventId)]);
  if (!batch || !isUnsent(batch) || !event || !stillDue(key, event)) {
    return { key, event, recipients: new Map(), series: undefined, ready: false, entries: new Map() };
  }
  const kind = mailingKindOf(key.mailing);
  const [recipients, series, previous] = await Promise.all([
    deps.subscribers.getMany(pendingRecipients(batch)),
    deps.events.getSeries(event.series),
    previousOf(deps, key, batch),
  ]);
  const entries: PreparedBatch["entries"] = new Map();
  if (deps.templates) {
    const now = clockOf(deps)();
    for (const subscriber of recipients) {
      if (skipReason(kind, event, subscriber) || !isActive(subscriber)) continue;
      const template = templateFor(
        deps,
        deps.templates,
        key,
        previous,
        event,
        series,
        subscriber.language,
        now,
      );
      entries.set(subscriber.id, { subscriber, template, entry: entryOf(deps, template, subscriber) });
    }
  }
  return {
    key,
    event,
    recipients: new Map(recipients.map((subscriber) => [subscriber.id, subscriber])),
    series,
    ...(previous ? { previous } : {}),
    ready: true,
    entries,
  };
};

/**
 * Sends one planned batch at most once per recipient: claim it (one write), send its recipients
 * still to be sent with SendBulkEmail (one call per language, almost always one), record every
 * outcome (one write per call). Throttled and transient entries are retried with backoff; refused
 * ones are recorded; a success is never sent again. Throws IncompleteDeliveryError when some
 * recipients remain to be sent, so the queue retries the batch (and after its maxReceiveCount
 * keeps it in the dead-letter queue, from where a resume or a redrive brings it back).
 * `doneWithSes` is called once the batch makes no more bulk calls, before its last record: the
 * next batch may then be claimed and sent while this one's outcomes are written.
 */
export const sendBatch = async (
  deps: DeliverDeps,
  prepared: PreparedBatch,
  doneWithSes: () => void = () => {},
): Promise<DeliveryReport> => {
  const report: DeliveryReport = { sent: 0, refused: 0, skipped: 0, pending: 0, inDoubt: 0 };
  const clock = clockOf(deps);
  const sleep = deps.sleep ?? wait;
  const claim = await deps.ledger.claim(prepared.key, clock());
  if (!claim.claimed) return { ...report, untouched: claim.current?.status ?? "missing" };
  const batch = claim.claimed;
  const claimedAt = batch.claimedAt as string;
  const outcomes: Record<string, RecipientOutcome> = { ...batch.outcomes };
  let recorded = batch.outcomes;
  let lastError: string | undefined;
  let shown = batch.shown;
  /** Whoever has no recorded outcome once the batch stops here: in doubt, never sent again. */
  const inDoubt = (cause: string): DeliveryReport => ({
    ...report,
    inDoubt: pendingRecipients({ subscriberIds: batch.subscriberIds, outcomes: recorded }).length,
    cause,
  });
  /** Records the outcomes so far; false when the write failed, which leaves the batch claimed (the window). */
  const record = async (final: boolean): Promise<string | undefined> => {
    const left = pendingRecipients({ subscriberIds: batch.subscriberIds, outcomes }).length;
    const status = !final ? "sending" : left === 0 ? "done" : "failed";
    try {
      await deps.ledger.record(
        { ...batch, outcomes: { ...outcomes }, status, lastError, ...(shown ? { shown } : {}) },
        claimedAt,
        clock(),
      );
      recorded = { ...outcomes };
      return undefined;
    } catch (error) {
      return `recording the outcomes failed: ${(error as Error).name}: ${(error as Error).message}`;
    }
  };

  // What the claim says is still to send: the prepared reads may predate another deliverer's attempt.
  const pending = pendingRecipients(batch);
  const { event: read } = prepared;
  const kind = mailingKindOf(prepared.key.mailing);
  if (!stillDue(prepared.key, read)) {
    // Cancelled (or gone) before its mail went out: there is nothing left to announce.
    for (const id of pending) outcomes[id] = { status: "skipped", reason: `event ${read?.status ?? "gone"}` };
    report.skipped = pending.length;
    doneWithSes();
    const failed = await record(true);
    return failed ? inDoubt(failed) : report;
  }
  const event = read as StoredEvent;
  // What this claim's mails show, recorded with their outcomes: a later notice goes only to whom it tells something.
  shown = { ...batch.shown, [String(event.revision)]: materialFactsOf(event) };
  const unread = pending.filter((id) => !prepared.recipients.has(id));
  const [late, series, previous] = await Promise.all([
    unread.length > 0 ? deps.subscribers.getMany(unread) : [],
    prepared.ready ? prepared.series : deps.events.getSeries(event.series),
    prepared.ready ? prepared.previous : previousOf(deps, prepared.key, batch),
  ]);
  const found = new Map([
    ...prepared.recipients,
    ...late.map((subscriber) => [subscriber.id, subscriber] as const),
  ]);
  const wanted: ActiveSubscriber[] = [];
  for (const id of pending) {
    const subscriber = found.get(id);
    const reason = skipReason(kind, event, subscriber);
    if (reason || !subscriber || !isActive(subscriber)) {
      outcomes[id] = { status: "skipped", reason: reason ?? "gone" };
      report.skipped++;
    } else wanted.push(subscriber);
  }

  const groups = groupByLanguage(wanted);
  const templates = deps.templates ?? new TemplateCache();
  const now = clock();
  let held = false;
  for (const [index, group] of groups.entries()) {
    const template = templateFor(
      deps,
      templates,
      prepared.key,
      previous,
      event,
      series,
      (group[0] as ActiveSubscriber).language,
      now,
    );
    // Made in prepareBatch unless the recipient or the template changed since (read late, or evicted).
    const entries = new Map(
      group.map((subscriber) => {
        const made = prepared.entries.get(subscriber.id);
        const fresh = made?.subscriber === subscriber && made.template === template;
        return [subscriber.id, fresh ? made.entry : entryOf(deps, template, subscriber)] as const;
      }),
    );
    let remaining = group;
    for (let attempt = 0; remaining.length > 0 && !held; attempt++) {
      if (attempt > THROTTLE_RETRIES) {
        lastError = `still throttled after ${THROTTLE_RETRIES} retries`;
        break;
      }
      if (attempt > 0) await sleep(backoffMs(attempt - 1));
      let results: Awaited<ReturnType<Mailer["sendBulk"]>>;
      try {
        const bulk = bulkMailOf(
          prepared.key,
          template,
          event,
          remaining.map((subscriber) => entries.get(subscriber.id) as BulkMailEntry),
        );
        results = await deps.mailer.sendBulk(bulk);
      } catch (error) {
        // Left claimed on purpose: never sent again, listed in doubt for ops (the window).
        if (error instanceof UnknownOutcomeError) return inDoubt(error.message);
        if (!(error instanceof ThrottledError) && !(error instanceof NotSentError)) throw error;
        lastError = error.message;
        if (error instanceof NotSentError) held = true;
        continue;
      }
      const retry: ActiveSubscriber[] = [];
      results.forEach((result, position) => {
        const subscriber = remaining[position] as ActiveSubscriber;
        switch (verdictOf(result.status)) {
          case "sent":
            outcomes[subscriber.id] = {
              status: "sent",
              messageId: result.messageId ?? "",
              revision: event.revision,
            };
            report.sent++;
            break;
          case "refused":
            outcomes[subscriber.id] = {
              status: "refused",
              reason: `${result.status}: ${result.error ?? ""}`,
            };
            report.refused++;
            break;
          case "retry":
            retry.push(subscriber);
            lastError = result.status;
            break;
          case "held":
            held = true;
            lastError = `${result.status}: ${result.error ?? ""}`;
        }
      });
      remaining = retry;
      const moreCalls =
        (remaining.length > 0 && attempt < THROTTLE_RETRIES && !held) || index < groups.length - 1;
      if (moreCalls) {
        const failed = await record(false);
        if (failed) return inDoubt(failed);
      }
    }
  }
  doneWithSes();
  const failed = await record(true);
  if (failed) return inDoubt(failed);
  report.pending = pendingRecipients({ subscriberIds: batch.subscriberIds, outcomes }).length;
  if (report.pending > 0) {
    throw new IncompleteDeliveryError(
      `${report.pending} of ${batch.subscriberIds.length} recipients not sent (${lastError}); retrying the batch`,
      report,
    );
  }
  return report;
};

/** One batch, read and sent. */
export const deliverBatch = async (deps: DeliverDeps, key: BatchKey): Promise<DeliveryReport> =>
  sendBatch(deps, await prepareBatch(deps, key));

export type TurnOutcome = { report: DeliveryReport } | { error: unknown };

/**
 * Delivers the batches of one invocation in turn, reading and rendering the next one while the
 * current one is with SES, and claiming and sending the next one while the current one's outcomes
 * are recorded: one bulk call in flight, the reads and the records off its path. Outcomes come in
 * the order of the keys. A key that cannot be read (`keys` throws) fails alone.
 */
export async function* deliverInTurn(
  deps: DeliverDeps,
  keys: (() => BatchKey)[],
): AsyncGenerator<TurnOutcome> {
  const prepare = (index: number): Promise<PreparedBatch | { error: unknown }> | undefined => {
    const key = keys[index];
    if (!key) return undefined;
    try {
      return prepareBatch(deps, key()).catch((error: unknown) => ({ error }));
    } catch (error) {
      return Promise.resolve({ error });
    }
  };
  /** The previous batch, its last record perhaps still being written. */
  let recording: Promise<TurnOutcome> | undefined;
  let next = prepare(0);
  for (let index = 0; next; index++) {
    const prepared = await next;
    next = prepare(index + 1);
    if ("error" in prepared) {
      if (recording) yield await recording;
      recording = undefined;
      yield { error: prepared.error };
      continue;
    }
    let doneWithSes = () => {};
    const withSes = new Promise<void>((resolve) => {
      doneWithSes = resolve;
    });
    const outcome = sendBatch(deps, prepared, doneWithSes).then(
      (report): TurnOutcome => ({ report }),
      (error: unknown): TurnOutcome => ({ error }),
    );
    await Promise.race([withSes, outcome]);
    if (recording) yield await recording;
    recording = outcome;
  }
  if (recording) yield await recording;
}
