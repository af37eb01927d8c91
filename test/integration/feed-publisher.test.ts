import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsServers, provisionResources } from "../../local/aws-servers";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { createS3Client, FeedStore } from "../../shared/adapters/s3/feed-store";
import { parseConfig } from "../../shared/config";
import { draftEvent, publishEvent } from "../../shared/domain/event-lifecycle";
import { publishFeeds } from "../../shared/use-cases/publish-feeds";
import { testContext } from "../support/api-gateway-event";
import { useLocalAws } from "../support/local-aws";

let servers: AwsServers;
let repository: EventRepository;
let s3: S3Client;

beforeAll(async () => {
  servers = await useLocalAws();
  repository = new EventRepository(createDocumentClient(), process.env.TABLE_NAME as string);
  s3 = createS3Client();
  await repository.putSeries({
    id: "ict",
    translations: { en: { name: "ICT" } },
    updatedAt: "2020-01-01T00:00:00.000Z",
  });
  for (const [index, day] of ["01", "02", "03"].entries()) {
    const draft = draftEvent(
      {
        slug: `event-${index}`,
        series: "ict",
        start: `2030-05-${day}`,
        end: `2030-05-${day}`,
        location: { type: "online" },
        speakers: [],
        translations: { en: { title: `Event ${index}` } },
      },
      `id-${index}`,
      `2030-01-${day}T09:00:00.000Z`,
    );
    await repository.createEvent(draft);
    await repository.replaceEvent(publishEvent(draft, `2030-01-${day}T10:00:00.000Z`), draft);
  }
});
afterAll(() => servers.stop());

const exists = (key: string) =>
  s3
    .send(new HeadObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: key }))
    .then(() => true)
    .catch(() => false);

const feedItems = async (key: string) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: key }));
  expect(object.ContentType).toBe("application/feed+json; charset=utf-8");
  return JSON.parse(await (object.Body?.transformToString() ?? "{}")).items.map(
    (item: { id: string }) => item.id,
  );
};

describe("the feed publisher", () => {
  it("writes every feed of every language to the bucket when asked to rebuild", async () => {
    const { handler } = await import("../../functions/feed-publisher");
    const summary = await handler({ rebuild: true }, testContext);
    expect(summary?.written).toBeGreaterThan(0);
    expect(summary?.deleted).toBe(0);
    expect(await feedItems("feed.json")).toEqual(["id-2", "id-1", "id-0"]);
    expect(await feedItems("en/feed.json")).toEqual(["id-2", "id-1", "id-0"]);
    expect(await feedItems("ka/feed.json")).toEqual([]);
  });

  it("writes the same bytes when nothing changed, so readers of every feed get 304 (empty ones too)", async () => {
    const etags = async () =>
      Promise.all(
        ["feed.xml", "ka/feed.xml", "ka/feed.json", "ka/events.ics"].map(
          async (key) =>
            (await s3.send(new HeadObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: key }))).ETag,
        ),
      );
    const config = parseConfig(process.env);
    const store = new FeedStore(s3, config.feedBucket);
    await publishFeeds({ repository, store, config });
    const first = await etags();
    expect((await publishFeeds({ repository, store, config })).written).toEqual([]); // nothing rewritten
    expect(await etags()).toEqual(first);
    // An empty feed is dated by the programme's latest change, not by the render.
    const empty = await s3.send(
      new GetObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: "ka/feed.xml" }),
    );
    expect(await empty.Body?.transformToString()).toContain(
      "<lastBuildDate>Thu, 03 Jan 2030 10:00:00 GMT</lastBuildDate>",
    );
  });

  it("keeps only the newest events when FEED_MAX_ITEMS caps the feeds", async () => {
    const config = parseConfig({ ...process.env, FEED_MAX_ITEMS: "2" });
    await publishFeeds({ repository, store: new FeedStore(s3, config.feedBucket), config });
    expect(await feedItems("feed.json")).toEqual(["id-2", "id-1"]);
  });

  it("writes the website beside the feeds: HTML pages with their own cache headers", async () => {
    const { handler } = await import("../../functions/feed-publisher");
    await handler({ rebuild: true }, testContext);
    const page = await s3.send(
      new GetObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: "en/events/event-0" }),
    );
    expect(page.ContentType).toBe("text/html; charset=utf-8");
    expect(page.CacheControl).toBe("public, max-age=0, s-maxage=60, must-revalidate");
    expect(await page.Body?.transformToString()).toContain("<h1>Event 0</h1>");
    const feed = await s3.send(new HeadObjectCommand({ Bucket: process.env.FEED_BUCKET, Key: "feed.xml" }));
    expect(feed.CacheControl).toBe("public, max-age=60");
  });

  it("keeps a page written after the rebuild began (a change published meanwhile), and deletes it later", async () => {
    const config = parseConfig(process.env);
    const store = new FeedStore(s3, config.feedBucket);
    const key = "en/events/published-meanwhile";
    await s3.send(
      new PutObjectCommand({
        Bucket: config.feedBucket,
        Key: key,
        Body: "<h1>New</h1>",
        ContentType: "text/html",
      }),
    );
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const started = await publishFeeds({ repository, store, config, now: () => anHourAgo });
    expect(started.orphans).toBe(0);
    expect(await exists(key)).toBe(true);
    // A rebuild that begins once the page is old enough finds no event of that slug, so the page goes.
    const inAnHour = new Date(Date.now() + 3_600_000);
    const later = await publishFeeds({ repository, store, config, now: () => inAnHour });
    expect(later.orphans).toBe(1);
    expect(await exists(key)).toBe(false);
  });

  it("writes a file it saw with other bytes at once, and still checks the bucket for bytes it saw the same", async () => {
    const bucket = process.env.FEED_BUCKET as string;
    const calls: string[] = [];
    const client = createS3Client();
    client.middlewareStack.add(
      (next, context) => (args) => {
        calls.push(context.commandName as string);
        return next(args);
      },
      { step: "initialize" },
    );
    const store = new FeedStore(client, bucket);
    const key = "en/known-etags.html";
    const file = (body: string) => ({ key, body, contentType: "text/html; charset=utf-8" });
    const body = async () =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
    const writes = async (body: string) => {
      calls.length = 0;
      const { written } = await store.writeChanged([file(body)]);
      return { written, calls: [...calls] };
    };

    // Unknown to the store: it asks the bucket first.
    expect(await writes("first")).toEqual({
      written: [key],
      calls: ["HeadObjectCommand", "PutObjectCommand"],
    });
    // Changed since it wrote it: one request, the write.
    expect(await writes("second")).toEqual({ written: [key], calls: ["PutObjectCommand"] });
    // The same bytes as it wrote: the bucket says nothing changed.
    expect(await writes("second")).toEqual({ written: [], calls: ["HeadObjectCommand"] });
    // Another writer changed the object meanwhile: the store's own bytes still go back.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: "someone else's", ContentType: "text/html" }),
    );
    expect(await writes("second")).toEqual({
      written: [key],
      calls: ["HeadObjectCommand", "PutObjectCommand"],
    });
    expect(await body()).toBe("second");
    client.destroy();
  });

  it("keeps the pages when the table has no published event (restored empty, or the wrong one), unless told", async () => {
    const table = "eventcast-empty-test";
    const bucket = "eventcast-feeds-of-an-empty-table";
    await provisionResources({ endpoints: servers.endpoints, tableName: table, bucketName: bucket });
    const config = parseConfig({ ...process.env, TABLE_NAME: table, FEED_BUCKET: bucket });
    const empty = new EventRepository(createDocumentClient(), table);
    const page = "en/events/event-0";
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: page, Body: "<h1>Event 0</h1>", ContentType: "text/html" }),
    );
    const inAnHour = () => new Date(Date.now() + 3_600_000);
    const deps = { repository: empty, store: new FeedStore(s3, bucket), config, now: inAnHour };
    const kept = await publishFeeds(deps);
    expect({ orphans: kept.orphans, keptOrphans: kept.keptOrphans }).toEqual({ orphans: 0, keptOrphans: 1 });
    const stillThere = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: page })).then(() => true);
    expect(stillThere).toBe(true);
    const emptied = await publishFeeds(deps, { evenIfEmpty: true });
    expect({ orphans: emptied.orphans, keptOrphans: emptied.keptOrphans }).toEqual({
      orphans: 1,
      keptOrphans: 0,
    });
    const gone = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: page })).then(
      () => false,
      () => true,
    );
    expect(gone).toBe(true);
  });

  it("keeps and names the folder of a language taken out of LANGUAGES, and deletes it when told to drop it", async () => {
    const config = parseConfig(process.env);
    const dropped = "xh";
    expect(config.languages).not.toContain(dropped);
    const store = new FeedStore(s3, config.feedBucket);
    const formerFiles = [`${dropped}/feed.xml`, `${dropped}/index.html`, `${dropped}/events/event-0`];
    // Someone else's folders: not named like a language, or without a language feed.
    const othersFiles = ["assets/feed.xml", "zu/notes.txt"];
    for (const key of [...formerFiles, ...othersFiles]) {
      await s3.send(new PutObjectCommand({ Bucket: config.feedBucket, Key: key, Body: "old" }));
    }
    const inAnHour = () => new Date(Date.now() + 3_600_000);
    const deps = { repository, store, config, now: inAnHour };

    const kept = await publishFeeds(deps);
    expect(kept.unconfiguredLanguages).toEqual([{ language: dropped, files: formerFiles.length }]);
    for (const key of [...formerFiles, ...othersFiles]) expect(await exists(key), key).toBe(true);

    await expect(publishFeeds(deps, { dropLanguages: [config.defaultLanguage] })).rejects.toThrow(
      `dropLanguages: "${config.defaultLanguage}" is still in LANGUAGES: take it out there first`,
    );
    await expect(publishFeeds(deps, { dropLanguages: ["assets"] })).rejects.toThrow(
      'dropLanguages: "assets" is not a language tag',
    );
    for (const key of formerFiles) expect(await exists(key), key).toBe(true);

    const deleted = await publishFeeds(deps, { dropLanguages: [dropped] });
    expect(deleted.orphans).toBe(formerFiles.length);
    expect(deleted.unconfiguredLanguages).toEqual([]);
    for (const key of formerFiles) expect(await exists(key), key).toBe(false);
    for (const key of othersFiles) expect(await exists(key), key).toBe(true);
  });

  it("answers a rebuild asked to drop a configured language with the reason, rendering nothing", async () => {
    const { handler } = await import("../../functions/feed-publisher");
    await expect(handler({ rebuild: true, dropLanguages: ["ka"] }, testContext)).rejects.toThrow(
      'dropLanguages: "ka" is still in LANGUAGES',
    );
    await expect(
      handler({ rebuild: true, dropLanguages: "be" as unknown as string[] }, testContext),
    ).rejects.toThrow("dropLanguages: must be a list of language tags");
  });

  it("re-renders on its hourly schedule's event too, which carries no stream records", async () => {
    const { handler } = await import("../../functions/feed-publisher");
    const scheduled = { source: "aws.events", "detail-type": "Scheduled Event" } as never;
    await expect(handler(scheduled, testContext)).resolves.toBeUndefined();
  });

  it("publishes only the feeds when SITE_URL names the organisation's own site", async () => {
    const bucket = "eventcast-own-site";
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const config = parseConfig({ ...process.env, FEED_BUCKET: bucket, SITE_URL: "https://www.example.org" });
    await publishFeeds({ repository, store: new FeedStore(s3, bucket), config });
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map(
      (object) => object.Key,
    );
    expect(keys).toContain("feed.xml");
    expect(keys.filter((key) => key?.endsWith(".html") || key?.includes("/events/"))).toEqual([]);
    const json = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "feed.json" }));
    expect(JSON.parse((await json.Body?.transformToString()) ?? "{}").items[0].url).toBe(
      "https://www.example.org/en/events/event-2",
    );
  });
});
