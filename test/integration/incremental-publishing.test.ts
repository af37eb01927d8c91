import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { createS3Client, FeedStore } from "../../shared/adapters/s3/feed-store";
import { parseConfig } from "../../shared/config";
import type { EventInput, Series, StoredEvent } from "../../shared/domain/event";
import { cancelEvent, draftEvent, publishEvent, reviseEvent } from "../../shared/domain/event-lifecycle";
import { publishChanges, publishFeeds } from "../../shared/use-cases/publish-feeds";
import { useLocalAws } from "../support/local-aws";

let servers: AwsServers;
let repository: EventRepository;
let s3: S3Client;
let deps: Parameters<typeof publishChanges>[0];
let base: string;
const events = new Map<string, StoredEvent>();

// The programme as seen on 15 March 2030: two events over in February, three upcoming in May.
const NOW = new Date("2030-03-15T12:00:00.000Z");
const ICT: Series = {
  id: "ict",
  translations: { en: { name: "ICT" } },
  updatedAt: "2030-01-01T00:00:00.000Z",
};
const AGRI: Series = {
  id: "agri",
  translations: { en: { name: "Farming" } },
  updatedAt: "2030-01-01T00:00:00.000Z",
};

const inputFor = (index: number, overrides: Partial<EventInput> = {}): EventInput => {
  const day = `2030-${index < 2 ? "02" : "05"}-0${index + 1}`;
  return {
    slug: `event-${index}`,
    series: index === 4 ? "agri" : "ict",
    start: day,
    end: day,
    location: { type: "online" },
    speakers: [],
    translations: { en: { title: `Event ${index}` } },
    ...overrides,
  };
};

/** Stores the next version of an event and publishes that one change, as the stream would. */
const change = async (id: string, next: (event: StoredEvent, at: string) => StoredEvent) => {
  const old = events.get(id) as StoredEvent;
  const updated = next(old, "2030-03-10T09:00:00.000Z");
  await repository.replaceEvent(updated, old);
  events.set(id, updated);
  return publishChanges(deps, [{ kind: "event", old, new: updated }]);
};

const text = async (key: string) =>
  (
    await s3.send(new GetObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: key }))
  ).Body?.transformToString();
const exists = async (key: string) =>
  s3
    .send(new HeadObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: key }))
    .then(() => true)
    .catch(() => false);

beforeAll(async () => {
  servers = await useLocalAws();
  repository = new EventRepository(createDocumentClient(), process.env.TABLE_NAME as string);
  s3 = createS3Client();
  const config = parseConfig({ ...process.env, FEED_MAX_ITEMS: "2" });
  base = config.publicUrl;
  deps = { repository, store: new FeedStore(s3, config.feedBucket), config, now: () => NOW };
  await repository.putSeries(ICT);
  await repository.putSeries(AGRI);
  for (let index = 0; index < 5; index++) {
    // Published one a month from January: archive months 2030-01 … 2030-05.
    const draft = draftEvent(inputFor(index), `id-${index}`, `2029-12-01T09:00:00.000Z`);
    await repository.createEvent(draft);
    const published = publishEvent(draft, `2030-0${index + 1}-02T10:00:00.000Z`);
    await repository.replaceEvent(published, draft);
    events.set(published.id, published);
  }
  await publishFeeds(deps);
});
afterAll(() => servers.stop());

describe("incremental publishing", () => {
  it("rewrites only the files that show an edited event's new title", async () => {
    const result = await change("id-3", (event, at) =>
      reviseEvent(event, inputFor(3, { translations: { en: { title: "Event 3, renamed" } } }), at),
    );
    expect(result.written).toEqual(
      [
        "archive/2030-04/feed.json",
        "archive/2030-04/feed.xml",
        "en/archive/2030-04/feed.json",
        "en/archive/2030-04/feed.xml",
        "en/events/event-3",
        "en/index.html",
        "en/series/ict/index.html",
        "events.ics",
        "index.html",
        // The listings of every language show the event, in its English text where it has no other.
        ...["az", "be", "hy", "ka", "ro", "ru", "uk"].flatMap((language) => [
          `${language}/index.html`,
          `${language}/series/ict/index.html`,
        ]),
        "en/events.ics",
        "en/feed.json",
        "en/feed.xml",
        "en/series/ict/archive/2030-05/feed.json",
        "en/series/ict/archive/2030-05/feed.xml",
        "en/series/ict/events.ics",
        "en/series/ict/feed.json",
        "en/series/ict/feed.xml",
        "feed.json",
        "feed.xml",
        "series/ict/archive/2030-05/feed.json",
        "series/ict/archive/2030-05/feed.xml",
        "series/ict/events.ics",
        "series/ict/feed.json",
        "series/ict/feed.xml",
      ].sort(),
    );
    expect(result.deleted).toEqual([]);
    expect(await text("en/events/event-3")).toContain("Event 3, renamed");
    // Nothing else: a second publish of the same change writes nothing.
    const again = await publishChanges(deps, [
      { kind: "event", old: events.get("id-3"), new: events.get("id-3") },
    ]);
    expect(again.written).toEqual([]);
  });

  it("marks a cancelled event in its page and feeds, and keeps it listed", async () => {
    const result = await change("id-2", (event, at) => cancelEvent(event, at));
    expect(result.written).toContain("en/events/event-2");
    // Its archive month and its series' feeds; the programme's newest two are later events.
    expect(result.written).toContain("archive/2030-03/feed.xml");
    expect(result.written).toContain("series/ict/feed.xml");
    expect(result.written).not.toContain("feed.xml");
    expect(result.written).not.toContain("en/events/event-3");
    expect(result.deleted).toEqual([]);
    const feed = JSON.parse((await text("series/ict/feed.json")) ?? "{}");
    expect(feed.items.find((item: { id: string }) => item.id === "id-2")._event.status).toBe("cancelled");
  });

  it("publishes a page for a translation added, and deletes it when the translation is removed", async () => {
    const both = { en: { title: "Event 1" }, ka: { title: "ღონისძიება 1" } };
    const added = await change("id-1", (event, at) =>
      reviseEvent(event, inputFor(1, { translations: both }), at),
    );
    expect(added.written).toContain("ka/events/event-1");
    expect(added.written).toContain("ka/archive/2030-02/feed.xml");
    expect(added.written).not.toContain("ka/events/event-0");
    expect(await text("ka/events/event-1")).toContain("ღონისძიება 1");

    const removed = await change("id-1", (event, at) => reviseEvent(event, inputFor(1), at));
    expect(removed.deleted).toEqual(["ka/events/event-1"]);
    expect(await exists("ka/events/event-1")).toBe(false);
    expect(await text("ka/archive/2030-02/feed.xml")).not.toContain("ღონისძიება");
  });

  it("renders the feeds of the languages an edited event is written in, and no other language's", async () => {
    const both = { en: { title: "Event 3, renamed" }, ka: { title: "ღონისძიება 3" } };
    await change("id-3", (event, at) => reviseEvent(event, inputFor(3, { translations: both }), at));
    const offered: string[] = [];
    const store = deps.store;
    const recording: typeof store = {
      writeChanged: (files, deletions) => {
        offered.push(...files.map((file) => file.key));
        return store.writeChanged(files, deletions);
      },
      has: (key) => store.has(key),
      keysUnder: (prefix) => store.keysUnder(prefix),
      listEverything: () => store.listEverything(),
      deleteKeys: (keys) => store.deleteKeys(keys),
    };
    const old = events.get("id-3") as StoredEvent;
    const retitled = reviseEvent(
      old,
      inputFor(3, { translations: { ...both, ka: { title: "ღონისძიება 3, ახალი სახელით" } } }),
      "2030-03-11T09:00:00.000Z",
    );
    await repository.replaceEvent(retitled, old);
    events.set("id-3", retitled);
    const result = await publishChanges({ ...deps, store: recording }, [
      { kind: "event", old, new: retitled },
    ]);
    expect(result.written).toContain("ka/feed.json");
    expect(result.written).toContain("ka/series/ict/events.ics");
    expect(await text("ka/feed.json")).toContain("ღონისძიება 3, ახალი სახელით");
    // The other languages' feeds and calendars hold no item of it: they are not even rendered.
    const otherFeeds = offered.filter(
      (key) => /^(az|be|hy|ro|ru|uk)\//.test(key) && /(feed\.xml|feed\.json|events\.ics)$/.test(key),
    );
    expect(otherFeeds).toEqual([]);
    // Their listings show it, in English where it has no text of theirs: those are rendered.
    expect(offered).toContain("az/index.html");
    // English only again, as the tests after this one expect (the rebuild then checks every byte).
    const dropped = await change("id-3", (event, at) =>
      reviseEvent(event, inputFor(3, { translations: { en: both.en } }), at),
    );
    expect(dropped.deleted).toEqual(["ka/events/event-3"]);
    expect(await text("ka/feed.json")).not.toContain("ღონისძიება 3");
  });

  it("deletes the pages of an old slug", async () => {
    const moved = await change("id-0", (event, at) =>
      reviseEvent(event, inputFor(0, { slug: "event-zero" }), at),
    );
    expect(moved.deleted).toEqual(["en/events/event-0"]);
    expect(moved.written).toContain("en/events/event-zero");
  });

  it("re-renders a renamed series' pages and its events' pages, and no other series' events", async () => {
    const renamed = {
      ...AGRI,
      translations: { en: { name: "Agriculture" } },
      updatedAt: "2030-03-11T00:00:00.000Z",
    };
    await repository.putSeries(renamed);
    const result = await publishChanges(deps, [{ kind: "series", old: AGRI, new: renamed }]);
    expect(result.written).toContain("en/series/agri/index.html");
    expect(result.written).toContain("en/events/event-4");
    expect(result.written).toContain("series/agri/feed.xml");
    expect(result.written).toContain("en/subscribe/index.html");
    expect(result.written.filter((key) => key.includes("/events/"))).toEqual(["en/events/event-4"]);
    expect(await text("en/events/event-4")).toContain("Agriculture");
  });
});

describe("bounded feeds with RFC 5005 archives", () => {
  it("keeps the newest N items in the subscription document and links its newest archive", async () => {
    const rss = (await text("feed.xml")) ?? "";
    expect(rss.match(/<item>/g)).toHaveLength(2);
    expect(rss).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"');
    expect(rss).toContain(`rel="prev-archive" href="${base}/archive/2030-05/feed.xml"`);
    expect(rss).not.toContain("<fh:archive");
    const json = JSON.parse((await text("feed.json")) ?? "{}");
    expect(json.items).toHaveLength(2);
    expect(json.next_url).toBe(`${base}/archive/2030-05/feed.json`);
  });

  it("chains archive months: each names the current feed and its older and newer neighbours", async () => {
    const march = await exists("archive/2030-03/feed.xml");
    const april = (await text("archive/2030-04/feed.xml")) ?? "";
    expect(march).toBe(true);
    expect(april).toContain("<fh:archive></fh:archive>");
    expect(april).toContain(`rel="current" href="${base}/feed.xml"`);
    expect(april).toContain(`rel="prev-archive" href="${base}/archive/2030-03/feed.xml"`);
    expect(april).toContain(`rel="next-archive" href="${base}/archive/2030-05/feed.xml"`);
    const oldest = (await text("archive/2030-01/feed.xml")) ?? "";
    expect(oldest).not.toContain("prev-archive");
    expect(JSON.parse((await text("archive/2030-02/feed.json")) ?? "{}").next_url).toBe(
      `${base}/archive/2030-01/feed.json`,
    );
    const cache = await s3.send(
      new HeadObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: "archive/2030-01/feed.xml" }),
    );
    expect(cache.CacheControl).toBe("public, max-age=86400");
  });

  it("pages the past listings by month, with stable links between months", async () => {
    const february = (await text("en/past/2030-02/index.html")) ?? "";
    expect(february).toContain("Event 1");
    expect(february).toContain(`rel="prev" href="${base}/en/past/"`);
    const past = (await text("en/past/index.html")) ?? "";
    expect(past).toContain(`rel="next" href="${base}/en/past/2030-02/"`);
    const sitemap = (await text("sitemap.xml")) ?? "";
    expect(sitemap).toContain(`<loc>${base}/sitemaps/2030-02.xml</loc>`);
    expect(await text("sitemaps/2030-02.xml")).toContain(`${base}/en/past/2030-02/`);
  });
});

describe("sitemap parts", () => {
  it("keep a month's past page when an event published in that month ends later", async () => {
    // Published in February, which has past events, and held in May: the change renders no past page.
    const draft = draftEvent(inputFor(5, { slug: "event-5" }), "id-5", "2030-02-01T09:00:00.000Z");
    await repository.createEvent(draft);
    const published = publishEvent(draft, "2030-02-20T10:00:00.000Z");
    await repository.replaceEvent(published, draft);
    events.set(published.id, published);
    const result = await publishChanges(deps, [{ kind: "event", old: draft, new: published }]);
    expect(result.written).toContain("sitemaps/2030-02.xml");
    const part = (await text("sitemaps/2030-02.xml")) ?? "";
    expect(part).toContain(`${base}/en/events/event-5`);
    expect(part).toContain(`${base}/en/past/2030-02/`);
  });
});

describe("the rebuild", () => {
  it("renders each file once and rewrites nothing the changes already wrote", async () => {
    const offered: string[] = [];
    const store = deps.store;
    const recording: typeof store = {
      writeChanged: (files, deletions) => {
        offered.push(...files.map((file) => file.key));
        return store.writeChanged(files, deletions);
      },
      has: (key) => store.has(key),
      keysUnder: (prefix) => store.keysUnder(prefix),
      listEverything: () => store.listEverything(),
      deleteKeys: (keys) => store.deleteKeys(keys),
    };
    const result = await publishFeeds({ ...deps, store: recording });
    expect(result.written).toEqual([]);
    expect(offered.length).toBe(new Set(offered).size);
    // February has a publication and past events: its sitemap part names its past page.
    expect(offered).toContain("sitemaps/2030-02.xml");
    expect(await text("sitemaps/2030-02.xml")).toContain(`${base}/en/past/2030-02/`);
  });
});

describe("the rebuild's clean-up", () => {
  const put = (key: string, body: string, contentType = "text/html; charset=utf-8") =>
    s3.send(
      new PutObjectCommand({
        Bucket: process.env.FEED_BUCKET,
        Key: key,
        Body: body,
        ContentType: contentType,
      }),
    );
  /** Every object in the bucket with its bytes. */
  const everything = async () => {
    const files = new Map<string, string>();
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: process.env.FEED_BUCKET })) {
      for (const { Key } of page.Contents ?? []) if (Key) files.set(Key, (await text(Key)) ?? "");
    }
    return files;
  };

  it("deletes what a parked change and older layouts left, keeps others' files, and leaves the site as it was", async () => {
    const site = await everything();
    expect(site.get("en/events/event-3")).toContain("Event 3, renamed");
    // A Georgian translation removed while the publisher was failing: its page stayed behind.
    await put("ka/events/event-3", "<h1>ღონისძიება 3</h1>");
    // The past listings before they went by month, and a sitemap part of a month with nothing left.
    await put("en/past/2/index.html", "<h1>Past events, page 2</h1>");
    await put("ru/past/7/index.html", "<h1>Прошедшие события, страница 7</h1>");
    await put("sitemaps/2029-06.xml", "<urlset></urlset>", "application/xml; charset=utf-8");
    // Files the publisher never renders belong to someone else.
    await put("favicon.ico", "icon", "image/x-icon");
    await put(".well-known/security.txt", "Contact: mailto:security@example.org", "text/plain");

    const deleted: string[] = [];
    const result = await publishFeeds(deps, { onOrphansDeleted: (keys) => deleted.push(...keys) });

    const orphans = [
      "en/past/2/index.html",
      "ka/events/event-3",
      "ru/past/7/index.html",
      "sitemaps/2029-06.xml",
    ];
    expect(deleted.sort()).toEqual(orphans);
    expect(result.orphans).toBe(4);
    for (const key of orphans) expect(await exists(key)).toBe(false);
    expect(await text("favicon.ico")).toBe("icon");
    expect(await text(".well-known/security.txt")).toContain("security@example.org");
    // Every file the site had is still there with the same bytes, and nothing else is.
    const after = await everything();
    after.delete("favicon.ico");
    after.delete(".well-known/security.txt");
    expect([...after.keys()].sort()).toEqual([...site.keys()].sort());
    for (const [key, body] of site) expect(after.get(key), key).toBe(body);
    expect(result.written).toEqual([]);
    expect(await text("sitemap.xml")).not.toContain("2029-06");
  });
});
