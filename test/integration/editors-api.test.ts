import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { apiGatewayEvent, testContext } from "../support/api-gateway-event";
import { TEST_ADMIN_TOKEN, throughCloudFront, useLocalAws } from "../support/local-aws";

let servers: AwsServers;
let admin: typeof import("../../functions/admin-api").handler;
let publicApi: typeof import("../../functions/public-api").handler;

beforeAll(async () => {
  servers = await useLocalAws();
  admin = (await import("../../functions/admin-api")).handler;
  publicApi = (await import("../../functions/public-api")).handler;
});
afterAll(() => servers.stop());

const asEditor = async (method: string, path: string, body?: unknown, query?: Record<string, string>) => {
  const result = await admin(
    apiGatewayEvent(method, path, {
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      query,
    }),
    testContext,
  );
  return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined };
};

const asPublic = async (path: string, query?: Record<string, string>) => {
  const result = await publicApi(
    apiGatewayEvent("GET", path, { query, headers: throughCloudFront() }),
    testContext,
  );
  return {
    status: result.statusCode,
    headers: result.headers,
    json: result.body ? JSON.parse(result.body) : undefined,
  };
};

let slugCounter = 0;
const event = (overrides: Record<string, unknown> = {}) => ({
  slug: `networking-${++slugCounter}`,
  series: "ict",
  start: "2030-12-14",
  end: "2030-12-14",
  location: { type: "online", url: "https://example.org/live" },
  speakers: [{ name: "Olga Shapoval", country: "UA" }],
  translations: { en: { title: "Networking event" }, ka: { title: "ქსელური ღონისძიება" } },
  ...overrides,
});

describe("the editors' API on real DynamoDB", () => {
  beforeAll(async () => {
    const series = await asEditor("PUT", "/api/admin/series/ict", {
      translations: { en: { name: "ICT innovation networking events" } },
    });
    expect(series.status).toBe(200);
  });

  it("creates a draft that the public cannot see", async () => {
    const created = await asEditor("POST", "/api/admin/events", event());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: "draft", revision: 1 });
    expect((await asEditor("GET", `/api/admin/events/${created.json.id}`)).json.slug).toBe(created.json.slug);
    expect((await asPublic(`/api/events/${created.json.id}`)).status).toBe(404);
  });

  it("publishes a draft, which the public API then lists", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    const published = await asEditor("POST", `/api/admin/events/${draft.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.json.publishedAt).toEqual(expect.any(String));
    const listing = await asPublic("/api/events", { when: "upcoming", lang: "ka" });
    expect(listing.headers?.["Access-Control-Allow-Origin"]).toBe("*"); // any site may show them
    expect(listing.json.items.map((item: { id: string }) => item.id)).toContain(draft.id);
  });

  it("refuses a second event with a taken slug with 409 naming the slug", async () => {
    const first = event();
    await asEditor("POST", "/api/admin/events", first);
    const second = await asEditor("POST", "/api/admin/events", event({ slug: first.slug }));
    expect(second.status).toBe(409);
    expect(second.json.errors).toEqual([{ path: "slug", message: expect.stringContaining("taken") }]);
  });

  it("frees the old slug when an event is renamed", async () => {
    const original = event();
    const { json: created } = await asEditor("POST", "/api/admin/events", original);
    const renamed = await asEditor("PUT", `/api/admin/events/${created.id}`, {
      ...created,
      slug: `${original.slug}-new`,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.revision).toBe(2);
    expect((await asEditor("POST", "/api/admin/events", event({ slug: original.slug }))).status).toBe(201);
  });

  it("keeps id and publication date through an edit", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    const { json: published } = await asEditor("POST", `/api/admin/events/${draft.id}/publish`);
    const { json: edited } = await asEditor("PUT", `/api/admin/events/${draft.id}`, {
      ...published,
      translations: { en: { title: "Renamed event" } },
    });
    expect(edited).toMatchObject({ id: draft.id, status: "published", publishedAt: published.publishedAt });
  });

  it("cancels a published event, which stays public and marked cancelled", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    await asEditor("POST", `/api/admin/events/${draft.id}/publish`);
    const cancelled = await asEditor("POST", `/api/admin/events/${draft.id}/cancel`);
    expect(cancelled.json.status).toBe("cancelled");
    expect((await asPublic(`/api/events/${draft.id}`)).json.status).toBe("cancelled");
  });

  it("answers 409 for an illegal status change", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    expect((await asEditor("POST", `/api/admin/events/${draft.id}/cancel`)).status).toBe(409);
    await asEditor("POST", `/api/admin/events/${draft.id}/publish`);
    expect((await asEditor("POST", `/api/admin/events/${draft.id}/publish`)).status).toBe(409);
  });

  it("answers 400 naming the field for an unknown series and for malformed JSON", async () => {
    const unknownSeries = await asEditor("POST", "/api/admin/events", event({ series: "nope" }));
    expect(unknownSeries.status).toBe(400);
    expect(unknownSeries.json.errors).toEqual([
      { path: "series", message: expect.stringContaining("no series") },
    ]);
    const malformed = await asEditor("POST", "/api/admin/events", "{ not json");
    expect(malformed.status).toBe(400);
  });

  it("keeps people's and the venue's text in other languages, returns it, and refuses a bad one naming its path", async () => {
    const moderator = {
      name: "Anna Pobol",
      role: "Head of ICT Innovation",
      translations: { ka: { name: "ანა პობოლი", role: "მიმართულების ხელმძღვანელი" } },
    };
    const speakers = [
      { name: "Christophe Guichard" },
      { name: "Jan Maarten de Vet" },
      {
        name: "Olga Shapoval",
        country: "UA",
        translations: { ka: { name: "ოლგა შაპოვალი", organisation: "ხარკოვის IT კლასტერი" } },
      },
    ];
    const location = {
      type: "venue",
      name: "Innovation Hub",
      city: "Tbilisi",
      country: "GE",
      translations: { ka: { name: "ინოვაციების ჰაბი", address: "რუსთაველის გამზირი 1", city: "თბილისი" } },
    };
    const created = await asEditor("POST", "/api/admin/events", event({ moderator, speakers, location }));
    expect(created.status).toBe(201);
    const { json: stored } = await asEditor("GET", `/api/admin/events/${created.json.id}`);
    expect(stored).toMatchObject({ moderator, speakers, location });
    await asEditor("POST", `/api/admin/events/${created.json.id}/publish`);
    expect((await asPublic(`/api/events/${created.json.id}`)).json).toMatchObject({
      moderator,
      speakers,
      location,
    });

    const bad = await asEditor("PUT", `/api/admin/events/${created.json.id}`, {
      ...stored,
      speakers: [
        speakers[0],
        speakers[1],
        { ...speakers[2], translations: { ka: { name: "ოლგა\nBcc: x" } } },
      ],
      location: { ...location, translations: { fr: { name: "Centre" } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual([
      { path: "location.translations.fr", message: expect.stringContaining("not a supported language") },
      { path: "speakers.2.translations.ka.name", message: "must be a single line" },
    ]);
    expect((await asEditor("GET", `/api/admin/events/${created.json.id}`)).json).toMatchObject({ speakers });
  });

  it("answers 400 naming start or end for a local time the clocks skip, on create and on edit", async () => {
    const skipped = await asEditor(
      "POST",
      "/api/admin/events",
      event({ start: "2031-03-30T02:30", end: "2031-03-30T04:00", timeZone: "Europe/Brussels" }),
    );
    expect(skipped.status).toBe(400);
    expect(skipped.json.errors).toEqual([
      {
        path: "start",
        message:
          "does not exist in Europe/Brussels: the clocks go forward from 2031-03-30T02:00 to 2031-03-30T03:00; choose a time outside that gap",
      },
    ]);
    const timed = { start: "2031-03-09T01:00", end: "2031-03-09T01:45", timeZone: "America/New_York" };
    const { json: created } = await asEditor("POST", "/api/admin/events", event(timed));
    const moved = await asEditor("PUT", `/api/admin/events/${created.id}`, {
      ...created,
      end: "2031-03-09T02:15",
    });
    expect(moved.status).toBe(400);
    expect(moved.json.errors).toEqual([
      { path: "end", message: expect.stringContaining("does not exist in America/New_York") },
    ]);
    expect((await asEditor("GET", `/api/admin/events/${created.id}`)).json).toMatchObject(timed);
  });

  it("shows no announcement for a draft yet, and 404 for an unknown event", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    const status = await asEditor("GET", `/api/admin/events/${draft.id}/announcement`);
    expect(status.json).toEqual({
      eventId: draft.id,
      mailing: "announcement",
      status: null,
      batches: { planned: 0, sent: 0, failed: 0, "in-doubt": 0 },
      recipients: { planned: 0, sent: 0, refused: 0, skipped: 0, pending: 0, inDoubt: 0 },
      plan: [],
      inDoubt: [],
    });
    expect((await asEditor("GET", "/api/admin/events/does-not-exist/announcement")).status).toBe(404);
  });

  it("answers 409 to a request to announce a draft, and 404 for an unknown event", async () => {
    const { json: draft } = await asEditor("POST", "/api/admin/events", event());
    const refused = await asEditor("POST", `/api/admin/events/${draft.id}/announce`);
    expect(refused.status).toBe(409);
    expect(refused.json.errors).toEqual([
      { path: "status", message: expect.stringContaining("only a published event") },
    ]);
    expect((await asEditor("POST", "/api/admin/events/does-not-exist/announce")).status).toBe(404);
  });

  it("deletes a draft and frees its slug, but refuses to delete a published event", async () => {
    const draft = event();
    const { json: created } = await asEditor("POST", "/api/admin/events", draft);
    expect((await asEditor("DELETE", `/api/admin/events/${created.id}`)).status).toBe(204);
    expect((await asEditor("GET", `/api/admin/events/${created.id}`)).status).toBe(404);
    expect((await asEditor("POST", "/api/admin/events", event({ slug: draft.slug }))).status).toBe(201);

    const { json: other } = await asEditor("POST", "/api/admin/events", event());
    await asEditor("POST", `/api/admin/events/${other.id}/publish`);
    const refused = await asEditor("DELETE", `/api/admin/events/${other.id}`);
    expect(refused.status).toBe(409);
    expect(refused.json.errors).toEqual([
      { path: "status", message: expect.stringContaining("cancel it instead") },
    ]);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await asEditor("GET", "/api/admin/events/does-not-exist")).status).toBe(404);
    expect((await asEditor("POST", "/api/admin/events/does-not-exist/publish")).status).toBe(404);
  });

  it("lists drafts too, newest first, a page at a time", async () => {
    await asEditor("POST", "/api/admin/events", event());
    await asEditor("POST", "/api/admin/events", event());
    const first = await asEditor("GET", "/api/admin/events", undefined, { limit: "1" });
    expect(first.json.items).toHaveLength(1);
    const second = await asEditor("GET", "/api/admin/events", undefined, {
      limit: "1",
      cursor: first.json.cursor,
    });
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id);
    expect(second.json.items[0].createdAt <= first.json.items[0].createdAt).toBe(true);
  });

  it("answers 400 for a forged cursor or a bad limit, never 500", async () => {
    expect((await asEditor("GET", "/api/admin/events", undefined, { cursor: "garbage" })).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: "x" })).toString("base64url");
    expect((await asEditor("GET", "/api/admin/events", undefined, { cursor: forged })).status).toBe(400);
    expect((await asEditor("GET", "/api/admin/events", undefined, { limit: "0" })).status).toBe(400);
    expect((await asPublic("/api/events", { when: "someday" })).status).toBe(400);
    expect((await asPublic("/api/events", { lang: "xx" })).status).toBe(400);
  });

  it.each([
    ["an id longer than any key", `/api/admin/events/${"x".repeat(3000)}`],
    ["a series id longer than any key", `/api/admin/series/${"x".repeat(3000)}`],
    ["malformed percent-encoding", "/api/admin/events/%ZZ"],
    ["an id with characters no id has", "/api/admin/events/a%20b%3Cscript%3E"],
  ])("answers 404, never 500, for %s", async (_case, path) => {
    expect((await asEditor("GET", path)).status).toBe(404);
    expect((await asEditor("POST", `${path}/publish`)).status).toBe(404);
  });

  it("answers 404 or 400, never 500, for public requests with impossible ids or series", async () => {
    expect((await asPublic(`/api/events/${"x".repeat(3000)}`)).status).toBe(404);
    expect((await asPublic(`/api/events/${"x".repeat(3000)}/calendar.ics`)).status).toBe(404);
    const series = await asPublic("/api/events", { series: "x".repeat(3000) });
    expect(series.status).toBe(400);
    expect(series.json.errors[0].path).toBe("series");
  });

  it("answers 400 naming the languages for a calendar asked in a language not configured", async () => {
    const { json: created } = await asEditor("POST", "/api/admin/events", event());
    await asEditor("POST", `/api/admin/events/${created.id}/publish`);
    const path = `/api/events/${created.id}/calendar.ics`;
    const unknown = await asPublic(path, { lang: "xx" });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]).toEqual({
      path: "lang",
      message: expect.stringMatching(/^must be one of: en, /),
    });
    const georgian = await publicApi(
      apiGatewayEvent("GET", path, { query: { lang: "ka" }, headers: throughCloudFront() }),
      testContext,
    );
    expect(georgian.statusCode).toBe(200);
    expect(georgian.body).toContain("SUMMARY:ქსელური ღონისძიება");
  });

  it("lists past events most recent first, apart from upcoming ones", async () => {
    const { json: past } = await asEditor(
      "POST",
      "/api/admin/events",
      event({ start: "2020-12-14", end: "2020-12-14" }),
    );
    await asEditor("POST", `/api/admin/events/${past.id}/publish`);
    const pastIds = (await asPublic("/api/events", { when: "past" })).json.items.map(
      (item: { id: string }) => item.id,
    );
    const upcomingIds = (await asPublic("/api/events")).json.items.map((item: { id: string }) => item.id);
    expect(pastIds).toContain(past.id);
    expect(upcomingIds).not.toContain(past.id);
  });
});
