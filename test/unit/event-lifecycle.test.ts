import { describe, expect, it } from "vitest";
import { ConflictError } from "../../shared/domain/errors";
import type { EventInput } from "../../shared/domain/event";
import { cancelEvent, draftEvent, publishEvent, reviseEvent } from "../../shared/domain/event-lifecycle";

const input: EventInput = {
  slug: "ict-3",
  series: "ict",
  start: "2020-12-14",
  end: "2020-12-14",
  location: { type: "online" },
  speakers: [],
  translations: { en: { title: "Third networking event" } },
};

describe("an event's life", () => {
  it("starts as a draft with revision 1", () => {
    const draft = draftEvent(input, "id-1", "2020-11-01T09:00:00.000Z");
    expect(draft).toMatchObject({
      id: "id-1",
      status: "draft",
      revision: 1,
      createdAt: "2020-11-01T09:00:00.000Z",
    });
    expect(draft.publishedAt).toBeUndefined();
  });

  it("gets its publication date once, at the first publication", () => {
    const published = publishEvent(
      draftEvent(input, "id-1", "2020-11-01T09:00:00.000Z"),
      "2020-11-02T09:00:00.000Z",
    );
    expect(published).toMatchObject({
      status: "published",
      publishedAt: "2020-11-02T09:00:00.000Z",
      revision: 2,
    });
    const edited = reviseEvent(
      published,
      { ...input, translations: { en: { title: "Renamed" } } },
      "2020-11-03T09:00:00.000Z",
    );
    expect(edited).toMatchObject({
      id: "id-1",
      status: "published",
      publishedAt: "2020-11-02T09:00:00.000Z",
      revision: 3,
    });
  });

  it("remembers the start readers saw when a published event moves (a draft just changes)", () => {
    const draft = draftEvent(input, "id-1", "2020-11-01T09:00:00.000Z");
    const movedDraft = reviseEvent(
      draft,
      { ...input, start: "2020-12-15", end: "2020-12-15" },
      "2020-11-01T10:00:00.000Z",
    );
    expect(movedDraft.previousStart).toBeUndefined();
    const published = publishEvent(movedDraft, "2020-11-02T09:00:00.000Z");
    const moved = reviseEvent(
      published,
      { ...input, start: "2020-12-16", end: "2020-12-16" },
      "2020-11-03T09:00:00.000Z",
    );
    expect(moved.previousStart).toBe("2020-12-15");
    const retitled = reviseEvent(
      moved,
      { ...input, start: "2020-12-16", end: "2020-12-16" },
      "2020-11-04T09:00:00.000Z",
    );
    expect(retitled.previousStart).toBe("2020-12-15");
    const movedBack = reviseEvent(
      retitled,
      { ...input, start: "2020-12-15", end: "2020-12-15" },
      "2020-11-05T09:00:00.000Z",
    );
    expect(movedBack.previousStart).toBe("2020-12-16");
  });

  it("cannot be published twice", () => {
    const published = publishEvent(
      draftEvent(input, "id-1", "2020-11-01T09:00:00.000Z"),
      "2020-11-02T09:00:00.000Z",
    );
    expect(() => publishEvent(published, "2020-11-03T09:00:00.000Z")).toThrow(ConflictError);
  });

  it("can only be cancelled once published, and keeps its publication date", () => {
    const draft = draftEvent(input, "id-1", "2020-11-01T09:00:00.000Z");
    expect(() => cancelEvent(draft, "2020-11-02T09:00:00.000Z")).toThrow(ConflictError);
    const cancelled = cancelEvent(
      publishEvent(draft, "2020-11-02T09:00:00.000Z"),
      "2020-11-05T09:00:00.000Z",
    );
    expect(cancelled).toMatchObject({
      status: "cancelled",
      publishedAt: "2020-11-02T09:00:00.000Z",
      cancelledAt: "2020-11-05T09:00:00.000Z",
    });
  });
});
