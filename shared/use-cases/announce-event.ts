import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import type { StoredEvent } from "../domain/event";
import {
  type AudiencePage,
  interleave,
  ledgerExpiry,
  type MailingRef,
  type PlanCursor,
  RECIPIENTS_PER_BATCH,
} from "../domain/mailings";
import { type MailingRun, type PlanDeps, runMailing } from "./plan-mailing";

export interface AnnounceDeps extends PlanDeps {
  subscribers: SubscriberRepository;
  languages: string[];
  defaultLanguage: string;
}

export const announcementOf = (eventId: string): MailingRef => ({ eventId, mailing: "announcement" });

/** Ids read from the audience index per Query; the plan cuts them into batches of 50. */
const AUDIENCE_PAGE = 500;
/**
 * The first Query of each language reads one batch: the first batch is planned and queued as soon
 * as the smallest read answers, and sending starts while the larger pages are read.
 */
const FIRST_AUDIENCE_PAGE = RECIPIENTS_PER_BATCH;

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

/** The confirmed subscribers of one language who want the event, after `from` (Queries on the sparse audience index, in id order). */
async function* languageAudience(
  deps: AnnounceDeps,
  event: StoredEvent,
  language: string,
  from: string | undefined,
): AsyncGenerator<AudiencePage> {
  let after = from;
  let limit = FIRST_AUDIENCE_PAGE;
  do {
    const page = await deps.subscribers.audienceIds(language, event.series, limit, after);
    limit = AUDIENCE_PAGE;
    if (page.subscriberIds.length > 0) yield { language, subscriberIds: page.subscriberIds };
    after = page.after;
  } while (after);
}

/** Every language of the audience read at once: the plan is ready in the time of the largest one. */
const announcementAudience = (deps: AnnounceDeps, event: StoredEvent, after: PlanCursor) =>
  interleave(
    audienceLanguages(event, deps.languages, deps.defaultLanguage).map((language) =>
      languageAudience(deps, event, language, after[language]),
    ),
  );

/** Announces a newly published event: its announcement is planned once into batches, then queued. */
export const announceEvent = (deps: AnnounceDeps, event: StoredEvent): Promise<MailingRun> =>
  runMailing(deps, {
    ref: announcementOf(event.id),
    kind: "announcement",
    audience: (after) => announcementAudience(deps, event, after),
    expiresAt: ledgerExpiry(event),
  });
