import type { EventRepository, Page } from "../adapters/dynamodb/event-repository";
import type { Config } from "../config";
import { NotFoundError, ValidationError } from "../domain/errors";
import { isPublic, isSlug, type StoredEvent } from "../domain/event";
import { eventTextFor } from "../domain/event-text";
import { seriesName } from "../domain/translations";
import { renderEventCalendar } from "../render/calendar/calendar";
import { eventPageUrl } from "../render/feeds/feed-item";

export interface PublicEventFilter {
  language?: string;
  series?: string;
  when: "upcoming" | "past";
  limit: number;
  cursor?: string;
}

/**
 * Published and cancelled events for the public API. The language filter keeps the events that
 * have that translation; it applies within a page, so a filtered page may hold fewer than `limit`.
 */
/** A `lang` query parameter: absent, or one of the configured languages (else a 400 naming them). */
const checkLanguage = (languages: readonly string[], language: string | undefined): string | undefined => {
  if (language !== undefined && !languages.includes(language)) {
    throw new ValidationError([{ path: "lang", message: `must be one of: ${languages.join(", ")}` }]);
  }
  return language;
};

export const listPublicEvents = async (
  repository: EventRepository,
  languages: string[],
  filter: PublicEventFilter,
  now = new Date().toISOString(),
): Promise<Page<StoredEvent>> => {
  const { series } = filter;
  const language = checkLanguage(languages, filter.language);
  if (series !== undefined && !isSlug(series)) {
    throw new ValidationError([{ path: "series", message: "must be a series id (a-z, 0-9, -)" }]);
  }
  const page = await repository.listPublicEventsByDate({ ...filter, now });
  return language ? { ...page, items: page.items.filter((event) => language in event.translations) } : page;
};

/** One public event; drafts do not exist for the public. */
export const getPublicEvent = async (repository: EventRepository, id: string): Promise<StoredEvent> => {
  const event = await repository.getEvent(id);
  if (!event || !isPublic(event)) throw new NotFoundError(`No published event with id ${id}`);
  return event;
};

/** The .ics of one public event, in a configured language (its texts falling back to the default one's), or the default language. */
export const renderPublicEventCalendar = async (
  repository: EventRepository,
  config: Pick<Config, "siteUrl" | "defaultLanguage" | "languages">,
  id: string,
  language: string | undefined,
): Promise<string> => {
  const chosen = checkLanguage(config.languages, language) ?? config.defaultLanguage;
  const event = await getPublicEvent(repository, id);
  const series = await repository.getSeries(event.series);
  return renderEventCalendar(event, {
    language: chosen,
    defaultLanguage: config.defaultLanguage,
    seriesName: seriesName(series, chosen, config.defaultLanguage),
    eventUrl: eventPageUrl(
      config.siteUrl,
      eventTextFor(event, chosen, config.defaultLanguage).language,
      event.slug,
    ),
  });
};
