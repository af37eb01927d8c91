import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { seedOnFirstStart } from "../../local/seed";
import { SEED_EVENT } from "../../local/seed-data";
import { LOCAL_NAMES, type LocalStack, startLocalStack } from "../../local/stack";
import { eventually } from "../support/eventually";
import { jsonOf } from "../support/http";

const run = promisify(execFile);

let stack: LocalStack;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  stack = await startLocalStack({ port: 0, sesPort: 0 });
  await seedOnFirstStart(stack.url, stack.adminToken);
});
afterAll(() => stack.stop());

const xml = new XMLParser({ ignoreAttributes: false });

const asEditor = (method: string, path: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const rssItems = async (path: string) => {
  const response = await fetch(`${stack.url}${path}`);
  if (response.status !== 200) return [];
  const channel = xml.parse(await response.text()).rss.channel;
  return [channel.item ?? []].flat() as {
    title: string;
    guid: { "#text": string };
    pubDate: string;
    link: string;
    description: string;
  }[];
};

describe("the local stack, as a feed reader sees it", () => {
  it("serves the seed event at /feed.xml, /ka/feed.xml and /feed.json on the first start", async () => {
    await eventually(async () => {
      expect((await rssItems("/feed.xml")).map((item) => item.title)).toContain(
        SEED_EVENT.translations.en?.title,
      );
      expect((await rssItems("/ka/feed.xml")).map((item) => item.title)).toContain(
        SEED_EVENT.translations.ka?.title,
      );
    });
    const json = await jsonOf(await fetch(`${stack.url}/feed.json`));
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.items[0].title).toBe(SEED_EVENT.translations.en?.title);
    // The seed page's Georgian names in the Georgian feeds, the English ones in the default feeds.
    const [georgian] = await rssItems("/ka/feed.xml");
    expect(georgian?.description).toContain("<strong>ოლგა შაპოვალი</strong>");
    expect(georgian?.description).toContain("ანა პობოლი");
    const georgianJson = await jsonOf(await fetch(`${stack.url}/ka/feed.json`));
    expect(georgianJson.items[0]._event.moderator).toMatchObject({ language: "ka", name: "ანა პობოლი" });
    expect(json.items[0].content_html).toContain("<strong>Olga Shapoval</strong>");
    const calendar = await (await fetch(`${stack.url}/ka/events.ics`)).text();
    expect(calendar.replace(/\r\n /g, "")).toContain("- ოლგა შაპოვალი\\, აღმასრულებელი დირექტორი");
  });

  it("shows an event created and published over HTTP in the feeds, with a guid that survives an edit", async () => {
    const created = await asEditor("POST", "/api/admin/events", {
      ...SEED_EVENT,
      slug: "guid-survives-an-edit",
      start: "2031-03-18T10:00:00",
      end: "2031-03-18T12:00:00",
      timeZone: "Europe/Kyiv",
      translations: {
        en: { title: "Fourth <networking> event & more ]]>" },
        ka: { title: "მეოთხე ღონისძიება" },
      },
    });
    expect(created.status).toBe(201);
    const { id } = await jsonOf(created);
    expect((await asEditor("POST", `/api/admin/events/${id}/publish`)).status).toBe(200);

    const item = await eventually(async () => {
      const found = (await rssItems("/feed.xml")).find((candidate) => candidate.guid["#text"] === id);
      expect(found?.title).toBe("Fourth <networking> event & more ]]>");
      return found;
    });
    expect(item?.link).toBe(`${stack.publicUrl}/en/events/guid-survives-an-edit`);

    const event = await jsonOf(await asEditor("GET", `/api/admin/events/${id}`));
    const edited = await asEditor("PUT", `/api/admin/events/${id}`, {
      ...event,
      translations: { ...event.translations, en: { title: "Renamed" } },
    });
    expect(await jsonOf(edited)).toMatchObject({ revision: 3 });
    await eventually(async () => {
      const items = (await rssItems("/feed.xml")).filter((candidate) => candidate.guid["#text"] === id);
      expect(items.map((candidate) => [candidate.title, candidate.pubDate])).toEqual([
        ["Renamed", item?.pubDate],
      ]);
    });
  });

  it("accepts the README's example event and shows it in the Georgian feed once published", async () => {
    const example = await readFile(new URL("../../local/example-event.json", import.meta.url), "utf8");
    const created = await asEditor("POST", "/api/admin/events", JSON.parse(example));
    expect(created.status).toBe(201);
    const { id } = await jsonOf(created);
    await asEditor("POST", `/api/admin/events/${id}/publish`);
    await eventually(async () => {
      expect((await rssItems("/ka/feed.xml")).map((item) => item.guid["#text"])).toContain(id);
    });
  });

  it("keeps a cancelled event in the feeds, marked as cancelled", async () => {
    const { id } = await jsonOf(
      await asEditor("POST", "/api/admin/events", {
        ...SEED_EVENT,
        slug: "to-be-cancelled",
        start: "2031-05-01",
        end: "2031-05-01",
      }),
    );
    await asEditor("POST", `/api/admin/events/${id}/publish`);
    await asEditor("POST", `/api/admin/events/${id}/cancel`);
    await eventually(async () => {
      const feed = await jsonOf(await fetch(`${stack.url}/feed.json`));
      const item = feed.items.find((candidate: { id: string }) => candidate.id === id);
      expect(item._event.status).toBe("cancelled");
    });
  });

  it("publishes the events as an iCalendar feed that calendar programs can subscribe to", async () => {
    // The cancellation above reaches each file in its own write: the calendar may follow the JSON Feed.
    await eventually(async () => {
      const response = await fetch(`${stack.url}/ka/events.ics`);
      expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
      const calendar = await response.text();
      expect(calendar).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(calendar).toContain("STATUS:CANCELLED");
      expect(calendar.match(/BEGIN:VEVENT/g)?.length).toBeGreaterThanOrEqual(3);
    });
  });

  it("answers a conditional GET of an unchanged feed with 304", async () => {
    const first = await fetch(`${stack.url}/feed.xml`);
    await first.text();
    const etag = first.headers.get("etag") as string;
    expect(first.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const again = await fetch(`${stack.url}/feed.xml`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const byDate = await fetch(`${stack.url}/feed.xml`, {
      headers: { "if-modified-since": first.headers.get("last-modified") as string },
    });
    expect(byDate.status).toBe(304);
  });

  it("serves a feed for every supported language, even one without events yet", async () => {
    const response = await fetch(`${stack.url}/uk/feed.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect((await jsonOf(response)).items).toEqual([]);
  });

  it("answers `npm run editor` with the token the stack keeps", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "editor", "--", "GET", "/api/admin/series"], {
      env: { ...process.env, PORT: new URL(stack.url).port, ADMIN_TOKEN: stack.adminToken },
    });
    expect(stdout).toMatch(/^200 OK\n/);
    expect(stdout).toContain('"id": "ict-innovation-networking"');
  });

  it("says in one line what `npm run editor` needs when it cannot call the API", async () => {
    const failure = (args: string[], env: Record<string, string>) =>
      run("npm", ["run", "--silent", "editor", "--", ...args], { env: { ...process.env, ...env } }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
    const noStack = await failure(["GET", "/api/admin/series"], { PORT: "1", ADMIN_TOKEN: stack.adminToken });
    expect(noStack?.code).toBe(2);
    expect(noStack?.stderr).toBe(
      "Cannot reach http://localhost:1: is npm start running there? Give the same PORT (and DATA_DIR) as npm start\n",
    );
    const noFile = await failure(["POST", "/api/admin/events", "no-such-event.json"], {
      PORT: new URL(stack.url).port,
      ADMIN_TOKEN: stack.adminToken,
    });
    expect(noFile?.stderr).toBe("Cannot read the body file no-such-event.json: no such file\n");
  });

  it("renders every feed and page again with `npm run rebuild`, rewriting nothing that is already right", async () => {
    // Whatever the publisher still has to write of the changes made before is not the rebuild's to rewrite.
    await stack.drained();
    const env = { ...process.env, PORT: new URL(stack.url).port, ADMIN_TOKEN: stack.adminToken };
    const { stdout } = await run("npm", ["run", "--silent", "rebuild"], { env });
    expect(stdout).toMatch(/^Rebuilt in [\d.]+ s: \d+ files rendered, 0 written \(0 bytes\), 0 deleted\n$/);
    expect((await fetch(`${stack.url}/_local/rebuild`, { method: "POST" })).status).toBe(403);
  });

  it("names with `npm run rebuild` a folder of a language no longer configured, and refuses to drop a configured one", async () => {
    const env = { ...process.env, PORT: new URL(stack.url).port, ADMIN_TOKEN: stack.adminToken };
    const s3 = new S3Client({
      endpoint: stack.endpoints.s3,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: "xh/feed.xml", Body: "<rss/>" }));
    s3.destroy();
    const { stdout } = await run("npm", ["run", "--silent", "rebuild"], { env });
    expect(stdout).toContain(
      "Kept 1 files under xh/, a language no longer in LANGUAGES. To delete them: npm run rebuild -- --drop-language xh",
    );
    const refused = await run("npm", ["run", "--silent", "rebuild", "--", "--drop-language", "ka"], {
      env,
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    // Told to drop it, the rebuild takes the folder for the publisher's: it is no longer named as kept
    // (its file, written a moment ago, waits for a rebuild a minute later to go).
    const dropping = await run("npm", ["run", "--silent", "rebuild", "--", "--drop-language=xh"], { env });
    expect(dropping.stdout).toMatch(/^Rebuilt in [\d.]+ s: /);
    expect(dropping.stdout).not.toContain("under xh/");
    expect(refused?.stderr).toContain(
      '400 Bad Request {"message":"dropLanguages: \\"ka\\" is still in LANGUAGES',
    );
  });

  it("refuses the editors' API without the token", async () => {
    expect((await fetch(`${stack.url}/api/admin/events`)).status).toBe(401);
    const wrong = await fetch(`${stack.url}/api/admin/events`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(403);
  });

  it("serves the seed series' own feeds, in the default language and in Georgian, with the seed event", async () => {
    const series = "/series/ict-innovation-networking";
    await eventually(async () => {
      const english = await fetch(`${stack.url}${series}/feed.xml`);
      expect(english.status).toBe(200);
      expect(english.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
      const titles = [xml.parse(await english.text()).rss.channel.item ?? []]
        .flat()
        .map((item) => item.title);
      expect(titles).toContain(SEED_EVENT.translations.en?.title);
      const georgian = await fetch(`${stack.url}/ka${series}/feed.json`);
      expect(georgian.status).toBe(200);
      const { items } = await jsonOf(georgian);
      expect(items.map((item: { title: string }) => item.title)).toContain(SEED_EVENT.translations.ka?.title);
    });
  });
});
