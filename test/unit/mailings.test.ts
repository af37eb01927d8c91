import { describe, expect, it } from "vitest";
import { verdictOf } from "../../shared/adapters/ses/mailer";
import {
  type AudiencePage,
  afterCursor,
  batchesOf,
  batchGroupOf,
  batchKeysOf,
  batchState,
  committedSegments,
  interleave,
  isUnsent,
  LEDGER_RETENTION_DAYS,
  ledgerExpiry,
  pendingRecipients,
  segmentRanges,
  withSegment,
} from "../../shared/domain/mailings";

async function* pages(...list: AudiencePage[]) {
  for (const page of list) yield page;
}

const collect = async <T>(source: AsyncIterable<T>) => {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
};

const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe("planning an audience into batches", () => {
  it("puts every recipient in exactly one batch of at most 50, of one language", async () => {
    const batches = await collect(
      batchesOf(
        pages(
          { language: "en", subscriberIds: ids("en", 70) },
          { language: "ka", subscriberIds: ids("ka", 30) },
          { language: "en", subscriberIds: ids("en-late", 40) },
        ),
      ),
    );
    expect(batches.map((batch) => [batch.language, batch.subscriberIds.length])).toEqual([
      ["en", 50],
      ["en", 50],
      ["ka", 30],
      ["en", 10],
    ]);
    const all = batches.flatMap((batch) => batch.subscriberIds);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(140);
  });

  it("makes no batch of an empty audience", async () => {
    expect(await collect(batchesOf(pages()))).toEqual([]);
  });

  it("reads several sources at once, losing nothing", async () => {
    const merged = await collect(
      interleave([
        pages({ language: "en", subscriberIds: ["a"] }),
        pages(),
        pages({ language: "ka", subscriberIds: ["b"] }, { language: "ka", subscriberIds: ["c"] }),
      ]),
    );
    expect(merged.flatMap((page) => page.subscriberIds).sort()).toEqual(["a", "b", "c"]);
  });
});

describe("a plan committed in segments", () => {
  const ref = { eventId: "e1", mailing: "announcement" };

  it("keeps one segment per planning run, each holding the batches its epoch wrote", () => {
    let segments = withSegment([], 1, 10);
    segments = withSegment(segments, 1, 20);
    segments = withSegment(segments, 3, 30);
    expect(withSegment(segments, 3, 30)).toBe(segments);
    expect(segments).toEqual([
      { epoch: 1, through: 20 },
      { epoch: 3, through: 30 },
    ]);
    expect(segmentRanges(segments)).toEqual([
      { epoch: 1, from: 1, through: 20 },
      { epoch: 3, from: 21, through: 30 },
    ]);
  });

  it("names each batch under the epoch that committed it", () => {
    const segments = [
      { epoch: 1, through: 2 },
      { epoch: 2, through: 4 },
    ];
    expect(batchKeysOf(ref, segments, 2, 3)).toEqual([
      { ...ref, epoch: 1, seq: 2 },
      { ...ref, epoch: 2, seq: 3 },
    ]);
    expect(batchKeysOf(ref, segments, 5, 9)).toEqual([]);
  });

  it("reads a plan committed whole, before segments, as one segment", () => {
    const plan = { epoch: 2, batches: 7, recipients: 300, plannedAt: "2030-01-01T00:00:00Z" };
    expect(committedSegments({ plan })).toEqual([{ epoch: 2, through: 7 }]);
    expect(committedSegments(undefined)).toEqual([]);
  });

  it("plans on after the cursor: whoever a committed batch of that language holds is left out", () => {
    const page = { language: "en", subscriberIds: ["a1", "b2", "c3"] };
    expect(afterCursor(page, { en: "b2", ka: "z9" })).toEqual({ language: "en", subscriberIds: ["c3"] });
    expect(afterCursor(page, { ka: "z9" })).toBe(page);
  });

  it('keeps a notice\'s cursor per language and "old": its batches of one language are cut per "old"', () => {
    const facts = (start: string) => ({
      start,
      end: "2030-01-01T12:00",
      timeZone: "Asia/Tbilisi",
      location: { type: "online" as const, url: "https://example.org/live" },
    });
    const told = { language: "en", subscriberIds: ["a1", "c3"], previous: facts("2030-01-01T10:00") };
    const other = { language: "en", subscriberIds: ["b2", "d4"], previous: facts("2030-01-01T09:00") };
    const cursor = { [batchGroupOf(told)]: "c3" };
    expect(afterCursor(told, cursor).subscriberIds).toEqual([]);
    expect(afterCursor(other, cursor).subscriberIds).toEqual(["b2", "d4"]);
  });
});

describe("what ops see of a batch", () => {
  it.each([
    ["planned", "planned", true],
    ["failed", "failed", true],
    ["sending", "in-doubt", false],
    ["done", "sent", false],
  ] as const)("a %s batch is %s, resumed: %s", (status, state, resumed) => {
    expect(batchState({ status })).toBe(state);
    expect(isUnsent({ status })).toBe(resumed);
  });

  it("has still to send whoever has no outcome", () => {
    expect(
      pendingRecipients({
        subscriberIds: ["a", "b", "c"],
        outcomes: { b: { status: "sent", messageId: "m" } },
      }),
    ).toEqual(["a", "c"]);
  });

  it("is kept 90 days after the event ends, then expires", () => {
    const end = Date.parse("2031-06-02T00:00:00Z") / 1000;
    expect(ledgerExpiry({ start: "2031-06-01", end: "2031-06-01", timeZone: "UTC" })).toBe(
      end + LEDGER_RETENTION_DAYS * 86_400,
    );
  });
});

describe("SES's answer for one entry of a bulk call", () => {
  it.each([
    ["SUCCESS", "sent"],
    ["ACCOUNT_THROTTLED", "retry"],
    ["TRANSIENT_FAILURE", "retry"],
    ["MESSAGE_REJECTED", "refused"],
    ["INVALID_PARAMETER", "refused"],
    ["FAILED", "refused"],
    ["ACCOUNT_DAILY_QUOTA_EXCEEDED", "held"],
    ["ACCOUNT_SENDING_PAUSED", "held"],
    ["CONFIGURATION_SET_NOT_FOUND", "held"],
    ["MAIL_FROM_DOMAIN_NOT_VERIFIED", "held"],
  ])("%s means %s", (status, verdict) => {
    expect(verdictOf(status)).toBe(verdict);
  });
});
