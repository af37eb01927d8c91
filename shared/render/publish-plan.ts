/**
 * Which files a change shows in, as a pure function of the record's old and new images: the
 * incremental publisher renders exactly these and nothing else, so the cost of one change does not
 * grow with the programme. Months are `YYYY-MM` (UTC): programme feed archives and sitemap parts go
 * by first publication, past listings and series feed archives by the end of the event.
 */
import type { Series, StoredEvent } from "../domain/event";
import { eventEndInstant } from "../domain/event-time";
import { isInFeeds } from "./feeds/plan-feed-files";
import type { SiteContext } from "./pages/site";
import { eventPageKeys } from "./pages/site-files";

export type Change =
  | { kind: "event"; old?: StoredEvent; new?: StoredEvent }
  | { kind: "series"; old?: Series; new?: Series };

export interface PublishPlan {
  /** The events whose pages are rendered (their latest public version), by id. */
  events: Map<string, StoredEvent>;
  /** Keys of pages whose translation or slug no longer exists: deleted, so they answer 404. */
  removedPages: Set<string>;
  /** Series whose page, feeds and calendars are rendered. */
  series: Set<string>;
  /** Series whose name or description changed: every one of their events shows it. */
  renamedSeries: Set<string>;
  /** Programme feed archives, by first publication. */
  publicationMonths: Set<string>;
  /** Past listing pages, by end. */
  endMonths: Set<string>;
  /** Series feed archives, by end: `${seriesId}\u0000${month}`. */
  seriesEndMonths: Set<string>;
  /** The programme's own documents: its feeds, calendars, upcoming listings, latest past, sitemap index. */
  programme: boolean;
  /** The pages that only name the series: subscribe pages, 404s, robots.txt. */
  seriesNames: boolean;
  /**
   * The languages whose feeds and calendars can show the change ("all" but for an edit that keeps
   * an event where it was): a language's feed holds only the events written in it, and its dates and
   * archive links depend on other events only through their publication, end month and series.
   */
  feedLanguages: Set<string> | "all";
}

export const monthOf = (instant: string): string => new Date(instant).toISOString().slice(0, 7);

export const emptyPlan = (): PublishPlan => ({
  events: new Map(),
  removedPages: new Set(),
  series: new Set(),
  renamedSeries: new Set(),
  publicationMonths: new Set(),
  endMonths: new Set(),
  seriesEndMonths: new Set(),
  programme: false,
  seriesNames: false,
  feedLanguages: "all",
});

export const seriesMonthKey = (seriesId: string, month: string): string => `${seriesId}\u0000${month}`;

/** Adds what an event shows in (for a version that is in the feeds) to the plan. */
export const addEventShowings = (plan: PublishPlan, event: StoredEvent): void => {
  const endMonth = monthOf(eventEndInstant(event));
  plan.series.add(event.series);
  plan.publicationMonths.add(monthOf(event.publishedAt ?? event.updatedAt));
  plan.endMonths.add(endMonth);
  plan.seriesEndMonths.add(seriesMonthKey(event.series, endMonth));
  plan.programme = true;
};

/** An edit of an event in the feeds that keeps its publication, its end month and its series. */
const keepsPlace = (old: StoredEvent | undefined, next: StoredEvent | undefined): boolean =>
  old !== undefined &&
  next !== undefined &&
  isInFeeds(old) &&
  isInFeeds(next) &&
  (old.publishedAt ?? old.updatedAt) === (next.publishedAt ?? next.updatedAt) &&
  monthOf(eventEndInstant(old)) === monthOf(eventEndInstant(next)) &&
  old.series === next.series;

const seriesTextChanged = (old: Series | undefined, next: Series | undefined): boolean =>
  JSON.stringify(old?.translations ?? null) !== JSON.stringify(next?.translations ?? null);

/** Later changes of the same item win (a stream batch holds them in order). */
export const planChanges = (site: SiteContext, changes: readonly Change[]): PublishPlan => {
  const plan = emptyPlan();
  const feedLanguages = new Set<string>();
  let everyLanguage = false;
  for (const change of changes) {
    if (change.kind === "series") {
      everyLanguage = true;
      const id = (change.new ?? change.old)?.id;
      if (!id) continue;
      plan.series.add(id);
      plan.seriesNames = true;
      // The home pages carry the subscribe form, which names every series.
      plan.programme = true;
      if (change.old && seriesTextChanged(change.old, change.new)) plan.renamedSeries.add(id);
      continue;
    }
    const versions = [change.old, change.new].filter(
      (version): version is StoredEvent => version !== undefined && isInFeeds(version),
    );
    for (const version of versions) addEventShowings(plan, version);
    if (versions.length > 0 && !keepsPlace(change.old, change.new)) everyLanguage = true;
    for (const version of versions) for (const language in version.translations) feedLanguages.add(language);
    const kept = change.new && isInFeeds(change.new) ? change.new : undefined;
    const id = (change.new ?? change.old)?.id;
    if (kept) plan.events.set(kept.id, kept);
    else if (id) plan.events.delete(id);
    const keptKeys = new Set(kept ? eventPageKeys(site, kept) : []);
    for (const key of keptKeys) plan.removedPages.delete(key);
    if (change.old && isInFeeds(change.old)) {
      for (const key of eventPageKeys(site, change.old)) if (!keptKeys.has(key)) plan.removedPages.add(key);
    }
  }
  plan.feedLanguages = everyLanguage ? "all" : feedLanguages;
  return plan;
};
