/** The event as editors send it and as every output (feeds, API, mail) reads it. */

export const EVENT_STATUSES = ["draft", "published", "cancelled"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** A BCP 47 primary language subtag such as "en" or "ka"; the supported set comes from config. */
export type LanguageCode = string;

/**
 * What a language tag looks like ("be", "sr-Latn"), as a regular expression's source without
 * anchors: how a folder of the site is known to be a language's (rebuilds, redirects).
 */
export const LANGUAGE_TAG_SOURCE = "[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*";

/**
 * A person's text in one language. A translation is whole: what it leaves out is left out in that
 * language, exactly as an event translation's summary is.
 */
export interface PersonTranslation {
  name: string;
  role?: string;
  organisation?: string;
}

/**
 * The moderator or a speaker. The fields outside `translations` are the person's text in the
 * programme's default language, and the fallback for every language without a translation.
 */
export interface Person extends PersonTranslation {
  /** ISO 3166-1 alpha-2, upper case; shown in the reader's language, never translated by editors. */
  country?: string;
  translations?: Record<LanguageCode, PersonTranslation>;
}

export type Moderator = Person;
export type Speaker = Person;

/** A venue's text in one language; whole, like a person's. */
export interface VenueTranslation {
  name: string;
  address?: string;
  city?: string;
}

/** A physical venue: its fields outside `translations` are in the default language, like a person's. */
export interface Venue extends VenueTranslation {
  type: "venue";
  country?: string;
  translations?: Record<LanguageCode, VenueTranslation>;
}

export type EventLocation = { type: "online"; url?: string } | Venue;

export interface EventTranslation {
  title: string;
  summary?: string;
  /** HTML, sanitised on input with an allow-list. */
  body?: string;
}

/** What an editor sends to create or replace an event. */
export interface EventInput {
  slug: string;
  series: string;
  /** `YYYY-MM-DD` (all-day) or `YYYY-MM-DDTHH:mm[:ss]` local time in `timeZone`. */
  start: string;
  end: string;
  /** IANA zone; required for timed events, optional for all-day ones. */
  timeZone?: string;
  location: EventLocation;
  agendaUrl?: string;
  moderator?: Moderator;
  speakers: Speaker[];
  translations: Record<LanguageCode, EventTranslation>;
}

export interface StoredEvent extends EventInput {
  id: string;
  status: EventStatus;
  createdAt: string;
  updatedAt: string;
  /** Set once, at the first publication; the feed item date. */
  publishedAt?: string;
  cancelledAt?: string;
  /** The start before the latest move of a published event: schema.org's previousStartDate. */
  previousStart?: string;
  /** Raised on every change; the iCalendar SEQUENCE and the optimistic-lock version. */
  revision: number;
  /** Set to `revision` by an edit saved with `?notice=none`: its material changes are told to nobody. */
  quietRevision?: number;
}

export interface SeriesTranslation {
  name: string;
  description?: string;
}

export interface Series {
  id: string;
  translations: Record<LanguageCode, SeriesTranslation>;
  updatedAt: string;
}

/** Slugs and series ids: lower-case letters and digits in words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG_LENGTH = 100;

export const isSlug = (value: string): boolean => value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);

export const isAllDay = (event: Pick<EventInput, "start">): boolean => !event.start.includes("T");

export const isPublic = (event: Pick<StoredEvent, "status">): boolean => event.status !== "draft";
