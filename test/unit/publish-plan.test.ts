import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../shared/domain/event";
import { cancelEvent, draftEvent, publishEvent, reviseEvent } from "../../shared/domain/event-lifecycle";
import type { SiteContext } from "../../shared/render/pages/site";
import { planChanges } from "../../shared/render/publish-plan";

const site: SiteContext = {
  siteUrl: "https://events.example.org",
  publicUrl: "https://events.example.org",
  languages: ["en", "ka"],
  defaultLanguage: "en",
  feedTitle: "Events",
  feedDescription: "",
  organisationName: "Org",
};
const input = {
  slug: "meetup",
  series: "ict",
  start: "2030-05-01",
  end: "2030-05-01",
  location: { type: "online" as const },
  speakers: [],
  translations: { en: { title: "Meetup" }, ka: { title: "შეხვედრა" } },
};
const draft = draftEvent(input, "e1", "2030-01-01T00:00:00.000Z");
const published = publishEvent(draft, "2030-01-02T00:00:00.000Z");

describe("planChanges", () => {
  it("leaves drafts out of every file", () => {
    const plan = planChanges(site, [{ kind: "event", old: undefined, new: draft }]);
    expect(plan.events.size).toBe(0);
    expect(plan.programme).toBe(false);
  });

  it("renders a published event's pages, its publication month's archive, its end month and its series", () => {
    const plan = planChanges(site, [{ kind: "event", old: draft, new: published }]);
    expect([...plan.events.keys()]).toEqual(["e1"]);
    expect([...plan.publicationMonths]).toEqual(["2030-01"]);
    expect([...plan.endMonths]).toEqual(["2030-05"]);
    expect([...plan.series]).toEqual(["ict"]);
    expect([...plan.seriesEndMonths]).toEqual(["ict\u00002030-05"]);
    expect(plan.removedPages.size).toBe(0);
  });

  it("covers both series and both end months when an event moves", () => {
    const moved = reviseEvent(
      published,
      { ...input, series: "agri", start: "2030-07-01", end: "2030-07-01" },
      "2030-02-01T00:00:00.000Z",
    );
    const plan = planChanges(site, [{ kind: "event", old: published, new: moved }]);
    expect([...plan.series].sort()).toEqual(["agri", "ict"]);
    expect([...plan.endMonths].sort()).toEqual(["2030-05", "2030-07"]);
  });

  it("renders the feeds of the languages an edited event is written in, when it keeps its publication, end month and series", () => {
    const englishOnly = reviseEvent(
      published,
      { ...input, translations: { en: { title: "Meetup, renamed" } } },
      "2030-02-01T00:00:00.000Z",
    );
    const retitled = reviseEvent(
      englishOnly,
      { ...input, translations: { en: { title: "Meetup, again" } } },
      "2030-02-02T00:00:00.000Z",
    );
    // A language dropped still shows in its feeds: the item leaves them.
    const dropped = planChanges(site, [{ kind: "event", old: published, new: englishOnly }]);
    expect(dropped.feedLanguages).toEqual(new Set(["en", "ka"]));
    const edited = planChanges(site, [{ kind: "event", old: englishOnly, new: retitled }]);
    expect(edited.feedLanguages).toEqual(new Set(["en"]));
    expect(
      planChanges(site, [
        { kind: "event", old: retitled, new: cancelEvent(retitled, "2030-02-03T00:00:00.000Z") },
      ]).feedLanguages,
    ).toEqual(new Set(["en"]));
  });

  it("renders every language's feeds for a publication, a removal, a move to another month or series, and a series", () => {
    const later = reviseEvent(
      published,
      { ...input, start: "2030-07-01", end: "2030-07-01" },
      "2030-02-01T00:00:00.000Z",
    );
    const otherSeries = reviseEvent(published, { ...input, series: "agri" }, "2030-02-01T00:00:00.000Z");
    // Empty feeds are dated by the latest publication, and archive links follow months and series in any language.
    expect(planChanges(site, [{ kind: "event", old: draft, new: published }]).feedLanguages).toBe("all");
    expect(planChanges(site, [{ kind: "event", old: published, new: undefined }]).feedLanguages).toBe("all");
    expect(planChanges(site, [{ kind: "event", old: published, new: later }]).feedLanguages).toBe("all");
    expect(planChanges(site, [{ kind: "event", old: published, new: otherSeries }]).feedLanguages).toBe(
      "all",
    );
    const series = {
      id: "ict",
      translations: { en: { name: "ICT" } },
      updatedAt: "2030-01-01T00:00:00.000Z",
    };
    expect(planChanges(site, [{ kind: "series", old: series, new: series }]).feedLanguages).toBe("all");
  });

  it("removes the page of a translation dropped and the pages of an old slug", () => {
    const english: StoredEvent = reviseEvent(
      published,
      { ...input, slug: "meetup-2", translations: { en: { title: "Meetup" } } },
      "2030-02-01T00:00:00.000Z",
    );
    const plan = planChanges(site, [{ kind: "event", old: published, new: english }]);
    expect([...plan.removedPages].sort()).toEqual(["en/events/meetup", "ka/events/meetup"]);
  });

  it("keeps a cancelled event's pages, marked", () => {
    const plan = planChanges(site, [
      { kind: "event", old: published, new: cancelEvent(published, "2030-02-01T00:00:00.000Z") },
    ]);
    expect(plan.events.get("e1")?.status).toBe("cancelled");
    expect(plan.removedPages.size).toBe(0);
  });

  it("re-renders every event of a renamed series, and only the pages naming series for a new one", () => {
    const before = {
      id: "ict",
      translations: { en: { name: "ICT" } },
      updatedAt: "2030-01-01T00:00:00.000Z",
    };
    const renamed = planChanges(site, [
      { kind: "series", old: before, new: { ...before, translations: { en: { name: "Digital" } } } },
    ]);
    expect([...renamed.renamedSeries]).toEqual(["ict"]);
    const created = planChanges(site, [{ kind: "series", old: undefined, new: before }]);
    expect(created.renamedSeries.size).toBe(0);
    expect(created.seriesNames).toBe(true);
  });
});
