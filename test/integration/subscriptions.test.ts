import { createHmac, randomUUID } from "node:crypto";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SQSClient } from "@aws-sdk/client-sqs";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AwsServers } from "../../local/aws-servers";
import { type QueuePoller, startQueuePoller } from "../../local/queue-poller";
import { createDocumentClient } from "../../shared/adapters/dynamodb/client";
import { EventRepository } from "../../shared/adapters/dynamodb/event-repository";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { Mailer } from "../../shared/adapters/ses/mailer";
import { SubscriptionRequestQueue } from "../../shared/adapters/sqs/subscription-requests";
import { loadConfig } from "../../shared/config";
import { InvalidLinkError } from "../../shared/domain/errors";
import { deriveKey, type LinkKeyring, parseLinkKeyring } from "../../shared/domain/subscriptions/keys";
import { subscriptionLink } from "../../shared/domain/subscriptions/links";
import type {
  ActiveSubscriber,
  Subscriber,
  SubscriberTombstone,
} from "../../shared/domain/subscriptions/subscriber";
import { signToken, type TokenPurpose } from "../../shared/domain/subscriptions/tokens";
import { mailMessagesFor } from "../../shared/render/mail/messages";
import { takeSubscriptionRequest } from "../../shared/use-cases/mail-subscription-requests";
import {
  confirmSubscription,
  type SubscriptionDeps,
  subscribe as subscribeThrough,
} from "../../shared/use-cases/subscriptions";
import { apiGatewayEvent, testContext } from "../support/api-gateway-event";
import { intercept } from "../support/faults";
import { TEST_KEYS, throughCloudFront, useLocalAws } from "../support/local-aws";
import { clearSentMails, linkIn, mailsTo, type StoredMail } from "../support/local-mail";
import { queueDrained } from "../support/queues";
import { audienceIds, subscriberRecord, testSubscriberId, tombstoneRecord } from "../support/subscribers";

const PUBLIC_URL = "https://events.example.org";
const CONFIRM_PATH = "/api/subscriptions/confirm";
const UNSUBSCRIBE_PATH = "/api/subscriptions/unsubscribe";
const MANAGE_PATH = "/api/subscriptions/manage";
const FORM = "application/x-www-form-urlencoded";

let servers: AwsServers;
let sesUrl: string;
let publicApi: typeof import("../../functions/public-api").handler;
let documents: DynamoDBDocumentClient;
let subscribers: SubscriberRepository;
let deps: SubscriptionDeps;
let keyring: LinkKeyring;
let sqs: SQSClient;
let poller: QueuePoller;
/** Waits until the subscription mailer has taken every queued request. */
let requestsTaken: () => Promise<void>;

beforeAll(async () => {
  // One viewer address sends every request here; the per-client limit has a test of its own.
  servers = await useLocalAws({ SUBSCRIBE_REQUESTS_PER_CLIENT_PER_HOUR: "100000" });
  sesUrl = servers.endpoints.ses;
  publicApi = (await import("../../functions/public-api")).handler;
  const config = loadConfig();
  keyring = TEST_KEYS.links;
  documents = createDocumentClient();
  subscribers = new SubscriberRepository(documents, config.subscribersTableName as string);
  const events = new EventRepository(documents, config.tableName);
  sqs = new SQSClient({});
  deps = {
    subscribers,
    events,
    requests: new SubscriptionRequestQueue(sqs, config.subscriptionQueueUrl as string),
    keys: TEST_KEYS,
    config,
  };
  // As in Lambda: the queue feeds the subscription mailer, which sends the mails.
  const mailer = (await import("../../functions/subscription-mailer")).handler;
  poller = await startQueuePoller({
    sqs,
    queueUrl: config.subscriptionQueueUrl as string,
    handler: (event) => mailer(event, testContext),
  });
  requestsTaken = () => queueDrained(sqs, config.subscriptionQueueUrl as string);
  const updatedAt = new Date().toISOString();
  await events.putSeries({ id: "ict", translations: { en: { name: "ICT innovation" } }, updatedAt });
  await events.putSeries({ id: "energy", translations: { en: { name: "Energy" } }, updatedAt });
});
afterAll(async () => {
  await poller?.stop();
  sqs?.destroy();
  documents?.destroy();
  await servers?.stop();
});
beforeEach(() => clearSentMails(sesUrl));

interface Answer {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  cookies: string[] | undefined;
  body: string;
}

const call = async (
  method: string,
  path: string,
  options: {
    body?: string;
    contentType?: string;
    query?: Record<string, string>;
    /** The viewer's address, as CloudFront reports it. */
    ip?: string;
    /** The address API Gateway sees: a CloudFront edge. */
    edge?: string;
    forwardedFor?: string;
    /** Straight to the execute-api endpoint, past CloudFront. */
    direct?: boolean;
  } = {},
): Promise<Answer> => {
  const event = apiGatewayEvent(method, path, {
    body: options.body,
    query: options.query,
    headers: {
      ...(options.direct ? {} : throughCloudFront(options.ip)),
      ...(options.contentType ? { "content-type": options.contentType } : {}),
      ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}),
    },
  });
  if (options.edge) event.requestContext.http.sourceIp = options.edge;
  const result = (await publicApi(event, testContext)) as APIGatewayProxyStructuredResultV2;
  // What the mailer makes of a subscription request is part of the answer a test checks.
  if (method === "POST" && path.startsWith("/api/subscriptions") && !path.includes("/confirm"))
    await requestsTaken();
  return {
    status: result.statusCode ?? 0,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    ),
    cookies: result.cookies,
    body: result.body ?? "",
  };
};

const subscribe = (body: unknown, ip?: string) =>
  call("POST", "/api/subscriptions", {
    body: typeof body === "string" ? body : JSON.stringify(body),
    ip,
  });

/** Follows a link from a mail or a header as a browser or a scanner would: GET, or POST with a form. */
const follow = (link: string, method = "GET", form?: Record<string, string>) => {
  const url = new URL(link);
  const query = Object.fromEntries(url.searchParams);
  return call(method, url.pathname, {
    query: Object.keys(query).length > 0 ? query : undefined,
    ...(form ? { body: new URLSearchParams(form).toString(), contentType: FORM } : {}),
  });
};

const newAddress = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.org`;
const stored = (email: string) => subscribers.get(testSubscriberId(email));
const storedActive = async (email: string) => (await stored(email)) as ActiveSubscriber;
const tokenOf = (link: string) => new URL(link).searchParams.get("token") as string;
const link = (purpose: TokenPurpose, subscriber: Subscriber) =>
  subscriptionLink(PUBLIC_URL, keyring, purpose, subscriber);

const confirmationMail = async (email: string): Promise<StoredMail> => {
  const mails = await mailsTo(sesUrl, email);
  expect(mails).toHaveLength(1);
  return mails[0] as StoredMail;
};

const inState = async (
  status: ActiveSubscriber["status"],
  options: { language?: string; series?: string[] } = {},
): Promise<ActiveSubscriber> => {
  const subscriber = subscriberRecord(newAddress(status), { status, ...options });
  await subscribers.save(subscriber, undefined);
  return subscriber;
};

/** An address that left (or bounced): only its tombstone is stored. */
const leftAs = async (
  status: SubscriberTombstone["status"],
): Promise<{ email: string; record: SubscriberTombstone }> => {
  const email = newAddress(status);
  const record = tombstoneRecord(email, status);
  await subscribers.save(record, undefined);
  return { email, record };
};

const expectPage = (answer: Answer, status: number) => {
  expect(answer.status).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^text\/html/);
  expect(answer.body).toMatch(/^<!DOCTYPE html>/);
};

const errorsOf = (answer: Answer) => (JSON.parse(answer.body) as { errors?: unknown[] }).errors;

/** Runs `scenario` again on a fresh start if it straddled the rate limit's hourly window. */
const withinOneRateWindow = async (scenario: () => Promise<void>) => {
  const window = () => Math.floor(Date.now() / 3_600_000);
  const started = window();
  await scenario();
  if (window() !== started) await scenario();
};

describe("subscribing", () => {
  it("answers 202 with the same body whatever the address's state; the owner of the address learns the rest by mail", async () => {
    const pending = newAddress("pending");
    expect((await subscribe({ email: pending, language: "en" })).status).toBe(202);
    const existing = {
      confirmed: await inState("confirmed"),
      unsubscribed: await leftAs("unsubscribed"),
      suppressed: await leftAs("suppressed"),
    };
    await clearSentMails(sesUrl);
    const addresses = {
      new: newAddress("new"),
      pending,
      confirmed: existing.confirmed.email,
      unsubscribed: existing.unsubscribed.email,
      suppressed: existing.suppressed.email,
    };

    const answers = [];
    for (const email of Object.values(addresses)) answers.push(await subscribe({ email, language: "ka" }));

    expect(answers[0]?.status).toBe(202);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const mailed = async (email: string) => (await mailsTo(sesUrl, email)).length;
    expect({
      new: await mailed(addresses.new),
      pending: await mailed(addresses.pending),
      confirmed: await mailed(addresses.confirmed),
      unsubscribed: await mailed(addresses.unsubscribed),
      suppressed: await mailed(addresses.suppressed),
    }).toEqual({ new: 1, pending: 1, confirmed: 1, unsubscribed: 1, suppressed: 0 });
    const [notice] = await mailsTo(sesUrl, addresses.confirmed);
    expect(notice?.subject).toContain("already subscribed"); // not a confirmation: nothing to confirm
    expect(notice?.body.html).toContain("/api/subscriptions/manage?token=");
    expect((await stored(addresses.confirmed))?.status).toBe("confirmed");
    expect((await stored(addresses.suppressed))?.status).toBe("suppressed");
    expect((await stored(addresses.unsubscribed))?.status).toBe("pending");
  });

  it("trims and lower-cases the address and mails the confirmation there, in the chosen language", async () => {
    const email = newAddress("nino.beridze");
    const answer = await subscribe({ email: `  ${email.toUpperCase()}\n`, language: "ka", series: ["ict"] });
    expect(answer.status).toBe(202);

    const subscriber = await stored(email);
    expect(subscriber).toMatchObject({ email, language: "ka", series: ["ict"], status: "pending" });
    const mail = await confirmationMail(email);
    expect(mail.destination.to).toEqual([email]);
    expect(mail.body.html).toContain(mailMessagesFor("ka").confirmHeading);
    expect(linkIn(mail, `${PUBLIC_URL}${CONFIRM_PATH}?token=`)).toBeTruthy();
  });

  it("keeps a consent record with time, language, source and a hash of the IP, but not the IP", async () => {
    const email = newAddress("consent");
    const ip = "203.0.113.77";
    const before = new Date().toISOString();
    await subscribe({ email, language: "uk" }, ip);

    const { Item } = await documents.send(
      new GetCommand({
        TableName: loadConfig().subscribersTableName,
        Key: { pk: `SUBSCRIBER#${testSubscriberId(email)}`, sk: "SUBSCRIBER" },
      }),
    );
    expect(Item?.consent).toEqual({
      subscribedAt: expect.any(String),
      language: "uk",
      source: "api",
      subscribeIpHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Item?.consent.subscribedAt >= before).toBe(true);
    expect(JSON.stringify(Item)).not.toContain(ip);
  });

  it("hashes the viewer's address CloudFront reports; a forged X-Forwarded-For or another edge changes nothing", async () => {
    const consentOf = async (email: string, viewer: string, forwardedFor: string, edge: string) => {
      await call("POST", "/api/subscriptions", {
        body: JSON.stringify({ email, language: "en" }),
        ip: viewer,
        edge,
        forwardedFor,
      });
      const { Item } = await documents.send(
        new GetCommand({
          TableName: loadConfig().subscribersTableName,
          Key: { pk: `SUBSCRIBER#${testSubscriberId(email)}`, sk: "SUBSCRIBER" },
        }),
      );
      return Item?.consent.subscribeIpHash as string;
    };
    const viewer = "198.51.100.7";
    const honest = await consentOf(newAddress("edge-a"), viewer, `${viewer}, 130.176.0.1`, "130.176.0.1");
    // The client put someone else's address first in X-Forwarded-For; CloudFront appended the real one.
    const forged = await consentOf(newAddress("edge-b"), viewer, `203.0.113.66, ${viewer}`, "130.176.9.9");
    const otherViewer = await consentOf(newAddress("edge-c"), "198.51.100.8", "198.51.100.8", "130.176.0.1");
    expect(forged).toBe(honest);
    expect(otherViewer).not.toBe(honest);
  });

  it("answers 403 to a request that skipped CloudFront (the execute-api endpoint), and mails nothing", async () => {
    const email = newAddress("direct");
    const answer = await call("POST", "/api/subscriptions", {
      body: JSON.stringify({ email, language: "en" }),
      direct: true,
      forwardedFor: "198.51.100.7",
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).message).toMatch(/only through the site/);
    expect(await stored(email)).toBeUndefined();
    expect(await mailsTo(sesUrl, email)).toEqual([]);
  });

  const valid = { email: "valid@example.org", language: "en" };
  it.each([
    ["malformed JSON", "{ not json", ""],
    ["a body that is not an object", "[]", ""],
    ["a missing address", { language: "en" }, "email"],
    ["an address over 254 characters", { ...valid, email: `${"a".repeat(243)}@example.org` }, "email"],
    ["something that is not an address", { ...valid, email: "not-an-address" }, "email"],
    ["an address smuggling a header", { ...valid, email: "a@example.org\r\nBcc: b@example.org" }, "email"],
    ["an unknown language", { ...valid, language: "xx" }, "language"],
    ["an unknown series", { ...valid, series: ["no-such-series"] }, "series"],
    ["a series that is not an id", { ...valid, series: ["<b>"] }, "series.0"],
  ])("answers 400 naming the field for %s, and mails nobody", async (_case, body, path) => {
    const answer = await subscribe(body);
    expect(answer.status).toBe(400);
    expect(errorsOf(answer)).toContainEqual({ path, message: expect.any(String) });
    expect(await mailsTo(sesUrl, "valid@example.org")).toEqual([]);
  });

  it("answers 400 naming an unknown field, and 415 for a body that is not JSON", async () => {
    const extra = await subscribe({ ...valid, admin: true });
    expect(extra.status).toBe(400);
    expect(errorsOf(extra)).toEqual([{ path: "", message: expect.stringContaining("admin") }]);
    const form = await call("POST", "/api/subscriptions", { body: "email=a@example.org", contentType: FORM });
    expect(form.status).toBe(415);
    expect(await mailsTo(sesUrl, "valid@example.org")).toEqual([]);
  });

  it("accepts an address of exactly 254 characters", async () => {
    const email = `${"b".repeat(242)}@example.org`;
    expect(email).toHaveLength(254);
    expect((await subscribe({ email, language: "en" })).status).toBe(202);
    expect(await mailsTo(sesUrl, email)).toHaveLength(1);
  });

  it("refuses an over-long address by its length alone: one error, no pattern run over it", async () => {
    const answer = await subscribe({ email: `a@${".".repeat(300)}b`, language: "en" });
    expect(answer.status).toBe(400);
    expect(errorsOf(answer)).toEqual([{ path: "email", message: "must be at most 254 characters" }]);
  });

  it("answers 413 to a subscribe body over 8 KiB before parsing it, and mails nothing", async () => {
    const email = newAddress("padded");
    const answer = await subscribe({ email, language: "en", padding: "x".repeat(8 * 1024) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toMatch(/larger than 8192 bytes/);
    expect(await mailsTo(sesUrl, email)).toEqual([]);
  });

  it("answers the sixth request for one address within the hour with 429 and Retry-After, whatever its state", async () => {
    await withinOneRateWindow(async () => {
      const addresses = [
        newAddress("new"),
        (await inState("confirmed")).email,
        (await leftAs("unsubscribed")).email,
        (await leftAs("suppressed")).email,
      ];
      const sixth: Answer[] = [];
      for (const email of addresses) {
        for (let request = 1; request <= 5; request++) {
          expect((await subscribe({ email, language: "en" })).status).toBe(202);
        }
        const mailsBefore = (await mailsTo(sesUrl, email)).length;
        sixth.push(await subscribe({ email: ` ${email.toUpperCase()} `, language: "en" }));
        expect((await mailsTo(sesUrl, email)).length).toBe(mailsBefore);
      }
      for (const answer of sixth) {
        expect(answer.status).toBe(429);
        expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
        expect(Number(answer.headers["retry-after"])).toBeLessThanOrEqual(3600);
        expect(answer.body).toBe(sixth[0]?.body);
      }
    });
  });
});

describe("the subscribe request under abuse", () => {
  it("answers 429 to a client that names too many addresses within the hour; other clients go on", async () => {
    const strict = { ...deps, config: { ...deps.config, subscribeRequestsPerClientPerHour: 3 } };
    // An address no other test uses: a random one sometimes met another test's counted requests.
    const bot = { ip: "203.0.113.201" };
    for (let request = 1; request <= 3; request++) {
      await subscribeThrough(strict, { email: newAddress("victim"), language: "en" }, bot);
    }
    await expect(
      subscribeThrough(strict, { email: newAddress("victim"), language: "en" }, bot),
    ).rejects.toMatchObject({
      retryAfterSeconds: expect.any(Number),
      message: expect.stringContaining("from this network"),
    });
    await expect(
      subscribeThrough(strict, { email: newAddress("neighbour"), language: "en" }, { ip: "198.51.100.99" }),
    ).resolves.toBeUndefined();
    await requestsTaken();
  });

  it("answers a filled-in honeypot field like any request, and then does nothing with it", async () => {
    const email = newAddress("bot");
    const answer = await subscribe({ email, language: "en", website: "https://spam.example" });
    const person = await subscribe({ email: newAddress("person"), language: "en", website: "" });

    expect(answer).toEqual(person);
    expect(answer.status).toBe(202);
    expect(await stored(email)).toBeUndefined();
    expect(await mailsTo(sesUrl, email)).toEqual([]);
  });

  it("does the same work in the request for every state of the address: two counters and one queued message, no read", async () => {
    const calls: string[] = [];
    const counted = <T extends object>(target: T, name: string, methods: (keyof T)[]) =>
      methods.reduce(
        (wrapped, method) =>
          intercept(
            wrapped,
            method,
            (original) =>
              (async (...args: unknown[]) => {
                calls.push(`${name}.${String(method)}`);
                return (original as (...a: unknown[]) => Promise<unknown>)(...args);
              }) as never,
          ),
        target,
      );
    const watched = {
      ...deps,
      subscribers: counted(deps.subscribers, "subscribers", ["get", "save", "countRequest", "getMany"]),
      requests: counted(deps.requests, "requests", ["enqueue"]),
    };
    const states = {
      new: newAddress("new"),
      pending: (await inState("pending")).email,
      confirmed: (await inState("confirmed")).email,
      unsubscribed: (await leftAs("unsubscribed")).email,
      suppressed: (await leftAs("suppressed")).email,
    };
    const work: Record<string, string[]> = {};
    for (const [state, email] of Object.entries(states)) {
      calls.length = 0;
      await subscribeThrough(watched, { email, language: "en" }, { ip: "198.51.100.30" });
      work[state] = [...calls].sort();
    }
    await requestsTaken();

    const expected = ["requests.enqueue", "subscribers.countRequest", "subscribers.countRequest"];
    expect(work).toEqual(Object.fromEntries(Object.keys(states).map((state) => [state, expected])));
  });
});

describe("the subscription mailer", () => {
  it("sends the same confirmation again for a redelivered request, and keeps one pending record", async () => {
    const email = newAddress("redelivered");
    const message = {
      subscriberId: testSubscriberId(email),
      email,
      language: "ro",
      series: [],
      ipHash: "0".repeat(64),
      requestedAt: new Date().toISOString(),
    };
    const mailDeps = {
      subscribers,
      mailer: new Mailer(new SESv2Client({}), loadConfig().senderAddress),
      links: keyring,
      config: loadConfig(),
    };

    expect(await takeSubscriptionRequest(mailDeps, message)).toBe("confirmation");
    const first = await storedActive(email);
    expect(await takeSubscriptionRequest(mailDeps, message)).toBe("confirmation");

    expect(await stored(email)).toEqual(first);
    const mails = await mailsTo(sesUrl, email);
    expect(mails).toHaveLength(2);
    const confirmLinks = mails.map((mail) => linkIn(mail, `${PUBLIC_URL}${CONFIRM_PATH}`));
    expect(confirmLinks[1]).toBe(confirmLinks[0]);
  });
});

describe("requests that arrive together", () => {
  it("answers 202 to both of two subscribe requests for one address sent at once (a double submit)", async () => {
    const email = newAddress("double-submit");

    const answers = await Promise.all([
      subscribe({ email, language: "en" }),
      subscribe({ email, language: "en" }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect((await stored(email))?.status).toBe("pending");
  });

  it("answers 200 with a page to both of two confirm POSTs sent at once (a double click)", async () => {
    const email = newAddress("double-click");
    await subscribe({ email, language: "en" });
    const token = tokenOf(linkIn(await confirmationMail(email), `${PUBLIC_URL}${CONFIRM_PATH}`));

    const answers = await Promise.all([
      call("POST", CONFIRM_PATH, { body: `token=${token}`, contentType: FORM }),
      call("POST", CONFIRM_PATH, { body: `token=${token}`, contentType: FORM }),
    ]);

    for (const answer of answers) expectPage(answer, 200);
    expect((await stored(email))?.status).toBe("confirmed");
  });

  it("answers 200 to both of two one-click POSTs sent at once", async () => {
    const subscriber = await inState("confirmed");
    const unsubscribeUrl = link("unsubscribe", subscriber);

    const answers = await Promise.all([
      follow(unsubscribeUrl, "POST", { "List-Unsubscribe": "One-Click" }),
      follow(unsubscribeUrl, "POST", { "List-Unsubscribe": "One-Click" }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await subscribers.get(subscriber.id))?.status).toBe("unsubscribed");
  });
});

describe("a wrong method on a subscription path", () => {
  it("answers 405 naming the methods it allows", async () => {
    const confirm = await call("PUT", CONFIRM_PATH);
    expect(confirm.status).toBe(405);
    expect(confirm.headers.allow).toBe("GET, POST");
    const put = await call("PUT", "/api/subscriptions/form");
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("POST, GET");
  });

  it("sends a browser that opens the form's address with GET (a bookmark of its answer) to the subscribe page", async () => {
    const revisited = await call("GET", "/api/subscriptions/form", { query: { lang: "ka" } });
    expect(revisited.status).toBe(303);
    expect(revisited.headers.location).toBe(`${PUBLIC_URL}/ka/subscribe/`);
    const unknown = await call("GET", "/api/subscriptions/form", { query: { lang: "xx" } });
    expect(unknown.headers.location).toBe(`${PUBLIC_URL}/en/subscribe/`);
  });
});

describe("confirming", () => {
  const subscribeAndGetLink = async (language = "en") => {
    const email = newAddress("confirm");
    await subscribe({ email, language });
    return { email, confirmUrl: linkIn(await confirmationMail(email), `${PUBLIC_URL}${CONFIRM_PATH}`) };
  };

  it("shows a page with a confirm button on GET of the mailed link, and changes nothing", async () => {
    const { email, confirmUrl } = await subscribeAndGetLink("ka");
    const before = await stored(email);

    const answer = await follow(confirmUrl);

    expectPage(answer, 200);
    expect(answer.body).toContain('<form method="post"');
    expect(answer.body).toContain(`name="token" value="${tokenOf(confirmUrl)}"`);
    expect(answer.body).toContain(mailMessagesFor("ka").confirmButton);
    expect(await stored(email)).toEqual(before);
    expect(before?.status).toBe("pending");
  });

  it("confirms on POST of the page's form, once however often it is posted", async () => {
    const { email, confirmUrl } = await subscribeAndGetLink();

    const first = await call("POST", CONFIRM_PATH, {
      body: `token=${tokenOf(confirmUrl)}`,
      contentType: FORM,
    });
    expectPage(first, 200);
    expect(first.body).toContain(mailMessagesFor("en").pageConfirmedTitle);
    const confirmed = await stored(email);
    expect(confirmed).toMatchObject({
      status: "confirmed",
      consent: { confirmedAt: expect.any(String), confirmIpHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(confirmed?.expiresAt).toBeUndefined();
    expect(await audienceIds(subscribers, "en", "ict")).toContain(confirmed?.id);

    const again = await call("POST", CONFIRM_PATH, {
      body: `token=${tokenOf(confirmUrl)}`,
      contentType: FORM,
    });
    expectPage(again, 200);
    expect(await stored(email)).toEqual(confirmed);
  });

  it("answers 410 with a page for a link past its expiry, and the subscription stays pending", async () => {
    const { email } = await subscribeAndGetLink();
    const before = await storedActive(email);
    const expired = signToken(keyring, {
      purpose: "confirm",
      subscriberId: before.id,
      version: before.linkVersion,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });

    for (const answer of [
      await follow(`${PUBLIC_URL}${CONFIRM_PATH}?token=${expired}`),
      await call("POST", CONFIRM_PATH, { body: `token=${expired}`, contentType: FORM }),
    ]) {
      expectPage(answer, 410);
    }
    expect(await stored(email)).toEqual(before);
  });

  it("refuses the mailed link once its 48 hours are over, and the subscription stays pending", async () => {
    const { email, confirmUrl } = await subscribeAndGetLink();
    const before = await stored(email);
    const later = new Date(Date.now() + 49 * 3600 * 1000);

    const attempt = confirmSubscription({ ...deps, now: () => later }, tokenOf(confirmUrl), {
      ip: "192.0.2.1",
    });

    await expect(attempt).rejects.toEqual(new InvalidLinkError("expired"));
    expect(await stored(email)).toEqual(before);
  });

  it("answers 410 for a request past its expiry that the TTL has not yet deleted, and changes nothing", async () => {
    const lapsed = { ...subscriberRecord(newAddress("lapsed"), { status: "pending" }), expiresAt: 1 };
    await subscribers.save(lapsed, undefined);
    const token = signToken(keyring, {
      purpose: "confirm",
      subscriberId: lapsed.id,
      version: lapsed.linkVersion,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });

    expectPage(await call("POST", CONFIRM_PATH, { body: `token=${token}`, contentType: FORM }), 410);
    expect(await subscribers.get(lapsed.id)).toEqual(lapsed);
  });
});

describe("links with a bad token", () => {
  const endpoints: { purpose: TokenPurpose; method: string; path: string; form?: Record<string, string> }[] =
    [
      { purpose: "confirm", method: "GET", path: CONFIRM_PATH },
      { purpose: "confirm", method: "POST", path: CONFIRM_PATH, form: {} },
      { purpose: "unsubscribe", method: "GET", path: UNSUBSCRIBE_PATH },
      {
        purpose: "unsubscribe",
        method: "POST",
        path: UNSUBSCRIBE_PATH,
        form: { "List-Unsubscribe": "One-Click" },
      },
      { purpose: "manage", method: "GET", path: MANAGE_PATH },
      { purpose: "manage", method: "POST", path: MANAGE_PATH, form: { language: "ru", series: "energy" } },
    ];

  /** What an old version of eventcast signed: a confirm link that never expires. */
  const forgeWithoutExpiry = (payload: string) => {
    const signed = `${keyring.current}.${payload}`;
    const root = keyring.keys.get(keyring.current) as string;
    return `${signed}.${createHmac("sha256", deriveKey(root, "link:confirm")).update(signed).digest("base64url")}`;
  };

  /** Each bad token is aimed at `victim`: none of them may change it. */
  const badTokens = (purpose: TokenPurpose, victim: Subscriber, other: Subscriber) => {
    const otherPurpose: TokenPurpose = purpose === "unsubscribe" ? "manage" : "unsubscribe";
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const claims = (subscriberId: string, claimed: TokenPurpose = purpose) => ({
      purpose: claimed,
      subscriberId,
      version: 1,
      ...(claimed === "confirm" ? { expiresAt } : {}),
    });
    const [keyId, , otherSignature] = signToken(keyring, claims(other.id)).split(".");
    const victimPayload = Buffer.from(
      JSON.stringify({ p: purpose, s: victim.id, v: 1, ...(purpose === "confirm" ? { e: expiresAt } : {}) }),
    ).toString("base64url");
    const [, validPayload, validSignature] = signToken(keyring, claims(victim.id)).split(".");
    const withoutExpiry = Buffer.from(JSON.stringify({ p: purpose, s: victim.id, v: 1 })).toString(
      "base64url",
    );
    const strangerRing = parseLinkKeyring(
      JSON.stringify({ current: keyId, [keyId as string]: "another-secret-0123456789abcdef0123456789" }),
    );
    return {
      "signed with another key under our key's id": signToken(strangerRing, claims(victim.id)),
      "signed with a key id we do not have": signToken(
        parseLinkKeyring(JSON.stringify({ current: "zz", zz: "another-secret-0123456789abcdef0123456789" })),
        claims(victim.id),
      ),
      "tampered to name another subscriber": `${keyId}.${victimPayload}.${otherSignature}`,
      // The first character carries six whole bits of the MAC (the last one partly padding), so this always changes it.
      "with a flipped signature": `${keyId}.${validPayload}.${validSignature?.startsWith("A") ? "B" : "A"}${validSignature?.slice(1)}`,
      "for another purpose": signToken(keyring, claims(victim.id, otherPurpose)),
      "for no subscriber we know": signToken(keyring, claims("0".repeat(32))),
      "in the old format without a key id": `${validPayload}.${validSignature}`,
      ...(purpose === "confirm"
        ? { "for confirming without an expiry, validly signed": forgeWithoutExpiry(withoutExpiry) }
        : {}),
      "that is not a token": "not-a-token",
      "that is empty": "",
    };
  };

  it.each(endpoints)("$method $path answers 400 with a page and changes nothing", async (endpoint) => {
    const victim = await inState(endpoint.purpose === "confirm" ? "pending" : "confirmed", {
      language: "en",
      series: ["ict"],
    });
    const other = await inState("confirmed");
    const before = await subscribers.get(victim.id);

    for (const [kind, token] of Object.entries(badTokens(endpoint.purpose, victim, other))) {
      const query = endpoint.method === "GET" || endpoint.purpose === "unsubscribe" ? { token } : undefined;
      const form =
        endpoint.form && endpoint.purpose !== "unsubscribe" ? { ...endpoint.form, token } : endpoint.form;
      const answer = await call(endpoint.method, endpoint.path, {
        query,
        ...(form ? { body: new URLSearchParams(form).toString(), contentType: FORM } : {}),
      });
      expect({ kind, status: answer.status }).toEqual({ kind, status: 400 });
      expectPage(answer, 400);
    }
    expect(await subscribers.get(victim.id)).toEqual(before);
    expect(await subscribers.get(other.id)).toEqual(other);
  });
});

describe("leaving", () => {
  it("unsubscribes on the one-click POST to the List-Unsubscribe URL: 200, no redirect, no cookie, idempotent", async () => {
    const subscriber = await inState("confirmed", { language: "ro" });
    const unsubscribeUrl = link("unsubscribe", subscriber);

    const first = await follow(unsubscribeUrl, "POST", { "List-Unsubscribe": "One-Click" });
    const second = await follow(unsubscribeUrl, "POST", { "List-Unsubscribe": "One-Click" });

    for (const answer of [first, second]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.headers["set-cookie"]).toBeUndefined();
      expect(answer.cookies).toBeUndefined();
    }
    expect(first.body).toContain(mailMessagesFor("ro").pageUnsubscribedTitle);
    expect((await subscribers.get(subscriber.id))?.status).toBe("unsubscribed");
    expect(await audienceIds(subscribers, "ro", "ict")).not.toContain(subscriber.id);
  });

  it("shows a page with an unsubscribe button on GET of the same URL, and changes nothing", async () => {
    const subscriber = await inState("confirmed", { language: "be" });

    const answer = await follow(link("unsubscribe", subscriber));

    expectPage(answer, 200);
    expect(answer.body).toContain('<form method="post"');
    expect(answer.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(answer.body).toContain(mailMessagesFor("be").unsubscribe);
    expect(await subscribers.get(subscriber.id)).toEqual(subscriber);
    expect(await audienceIds(subscribers, "be", "ict")).toContain(subscriber.id);
  });

  it("withdraws a subscription that was never confirmed, so its confirmation link no longer works", async () => {
    const email = newAddress("withdrawn");
    await subscribe({ email, language: "en" });
    const confirmUrl = linkIn(await confirmationMail(email), `${PUBLIC_URL}${CONFIRM_PATH}`);
    const subscriber = (await stored(email)) as Subscriber;

    expect(
      (await follow(link("unsubscribe", subscriber), "POST", { "List-Unsubscribe": "One-Click" })).status,
    ).toBe(200);
    expectPage(await follow(confirmUrl, "POST", { token: tokenOf(confirmUrl) }), 410);
    expect((await subscribers.get(subscriber.id))?.status).toBe("unsubscribed");
  });
});

describe("what is kept after leaving", () => {
  const rawItem = async (id: string) =>
    (
      await documents.send(
        new GetCommand({
          TableName: loadConfig().subscribersTableName,
          Key: { pk: `SUBSCRIBER#${id}`, sk: "SUBSCRIBER" },
        }),
      )
    ).Item;

  it.each(["confirmed", "pending"] as const)(
    "keeps of a %s subscriber who unsubscribes only a tombstone: keyed id, status, date, expiry in a year",
    async (status) => {
      const subscriber = await inState(status, { language: "uk", series: ["ict"] });
      const before = Math.floor(Date.now() / 1000);

      await follow(link("unsubscribe", subscriber), "POST", { "List-Unsubscribe": "One-Click" });

      const item = await rawItem(subscriber.id);
      expect(JSON.stringify(item)).not.toContain(subscriber.email);
      expect(Object.keys(item ?? {}).sort()).toEqual(
        ["entity", "expiresAt", "id", "language", "linkVersion", "pk", "sk", "status", "updatedAt"].sort(),
      );
      expect(item?.status).toBe("unsubscribed");
      expect(item?.expiresAt).toBeGreaterThanOrEqual(before + 365 * 24 * 3600);
      expect(item?.expiresAt).toBeLessThan(before + 366 * 24 * 3600);
    },
  );

  it("answers an old manage link of someone who left in their language, saying they left and how to come back", async () => {
    const subscriber = await inState("confirmed", { language: "uk" });
    const manage = link("manage", subscriber);
    expectPage(
      await follow(link("unsubscribe", subscriber), "POST", { "List-Unsubscribe": "One-Click" }),
      200,
    );

    const answer = await follow(manage);

    expectPage(answer, 410);
    expect(answer.body).toContain('<html lang="uk"');
    expect(answer.body).toContain("Ця адреса відписалася від розсилки");
    expect(answer.body).not.toContain("Термін дії посилання минув");
  });

  it("revokes every link mailed before an unsubscribe, even once the address has subscribed again", async () => {
    const email = newAddress("returning");
    await subscribe({ email, language: "en" });
    const firstConfirm = linkIn(await confirmationMail(email), `${PUBLIC_URL}${CONFIRM_PATH}`);
    await follow(firstConfirm, "POST", { token: tokenOf(firstConfirm) });
    const first = await storedActive(email);
    const oldManage = link("manage", first);
    const oldUnsubscribe = link("unsubscribe", first);
    expectPage(await follow(oldUnsubscribe, "POST", { "List-Unsubscribe": "One-Click" }), 200);
    expectPage(await follow(oldManage), 410);

    await clearSentMails(sesUrl);
    await subscribe({ email, language: "en" });
    const secondConfirm = linkIn(await confirmationMail(email), `${PUBLIC_URL}${CONFIRM_PATH}`);
    expectPage(await follow(secondConfirm, "POST", { token: tokenOf(secondConfirm) }), 200);
    const second = await storedActive(email);
    expect(second.status).toBe("confirmed");

    expectPage(await follow(oldManage), 410);
    expectPage(await follow(oldUnsubscribe, "POST", { "List-Unsubscribe": "One-Click" }), 410);
    expectPage(await follow(firstConfirm), 410);
    expect((await stored(email))?.status).toBe("confirmed");
    // The links of the new subscription work.
    expectPage(await follow(link("manage", second)), 200);
  });
});

describe("managing", () => {
  it("shows a form with the current language and series on GET, and changes nothing", async () => {
    const subscriber = await inState("confirmed", { language: "ka", series: ["energy"] });

    const answer = await follow(link("manage", subscriber));

    expectPage(answer, 200);
    expect(answer.body).toContain('<form method="post"');
    expect(answer.body).toMatch(/<option value="ka"[^>]* selected>/);
    expect(answer.body).not.toMatch(/<option value="en"[^>]* selected>/);
    expect(answer.body).toContain('name="series" value="energy" checked');
    expect(answer.body).toMatch(/name="series" value="ict"\/>/);
    expect(await subscribers.get(subscriber.id)).toEqual(subscriber);
  });

  it("changes language and series on POST, which moves the subscriber to the new language's audience", async () => {
    const subscriber = await inState("confirmed", { language: "ka", series: ["energy"] });
    const token = tokenOf(link("manage", subscriber));

    const answer = await call("POST", MANAGE_PATH, {
      body: new URLSearchParams([
        ["token", token],
        ["language", "hy"],
        ["series", "ict"],
        ["series", "energy"],
      ]).toString(),
      contentType: FORM,
    });

    expectPage(answer, 200);
    expect(answer.body).toContain(mailMessagesFor("hy").pageManageSavedTitle);
    expect(await subscribers.get(subscriber.id)).toMatchObject({
      status: "confirmed",
      language: "hy",
      series: ["ict", "energy"],
    });
    expect(await audienceIds(subscribers, "hy", "ict")).toContain(subscriber.id);
    expect(await audienceIds(subscribers, "ka", "energy")).not.toContain(subscriber.id);
  });

  it.each([
    ["an unknown language", { language: "xx" }, "language"],
    ["no language", {}, "language"],
    ["an unknown series", { language: "en", series: "no-such-series" }, "series"],
  ])("answers 400 naming the field for %s, and changes nothing", async (_case, fields, path) => {
    const subscriber = await inState("confirmed", { language: "ka", series: ["energy"] });
    const token = tokenOf(link("manage", subscriber));

    const answer = await call("POST", MANAGE_PATH, {
      body: new URLSearchParams({ token, ...fields }).toString(),
      contentType: FORM,
    });

    expect(answer.status).toBe(400);
    expect(errorsOf(answer)).toContainEqual({ path, message: expect.any(String) });
    expect(await subscribers.get(subscriber.id)).toEqual(subscriber);
  });
});

describe("the website's subscribe form", () => {
  const postForm = (fields: [string, string][], ip?: string) =>
    call("POST", "/api/subscriptions/form", {
      body: new URLSearchParams(fields).toString(),
      contentType: FORM,
      ip,
    });

  it("subscribes like the JSON API and answers with an HTML page in the page's language", async () => {
    const email = newAddress("form");
    const answer = await postForm([
      ["lang", "uk"],
      ["email", email],
      ["language", "ka"],
      ["series", "ict"],
      ["series", "energy"],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(answer.body).toContain('<html lang="uk" dir="ltr">');
    expect(answer.body).toContain("<h1>Перевірте пошту</h1>");
    expect(await stored(email)).toMatchObject({
      status: "pending",
      language: "ka",
      series: ["ict", "energy"],
    });
    await confirmationMail(email);
  });

  it("answers a bot that fills in the hidden field like anyone, and subscribes nobody", async () => {
    const email = newAddress("form-bot");
    const bot = await postForm([
      ["lang", "en"],
      ["email", email],
      ["language", "en"],
      ["website", "https://spam.example"],
    ]);
    const person = await postForm([
      ["lang", "en"],
      ["email", newAddress("form-person")],
      ["language", "en"],
      ["website", ""],
    ]);
    expect(bot.status).toBe(200);
    expect(bot.body).toBe(person.body);
    expect(await stored(email)).toBeUndefined();
    expect(await mailsTo(sesUrl, email)).toEqual([]);
  });

  it("gives the same answer for an address that is already subscribed", async () => {
    const email = newAddress("known");
    const first = await postForm([
      ["lang", "en"],
      ["email", email],
      ["language", "en"],
    ]);
    const second = await postForm([
      ["lang", "en"],
      ["email", email],
      ["language", "en"],
    ]);
    expect(second).toMatchObject({ status: 200, body: first.body });
  });

  it("shows the form again, filled in, naming each refused field in the reader's language", async () => {
    const answer = await postForm([
      ["lang", "ro"],
      ["email", "not-an-address"],
      ["language", "xx"],
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<li data-field="email">Introduceți o adresă de e-mail');
    expect(answer.body).toContain('<li data-field="language">Alegeți una dintre limbile din listă.</li>');
    expect(answer.body).toContain('value="not-an-address"');
    const unknownSeries = await postForm([
      ["email", newAddress("series")],
      ["language", "en"],
      ["series", "nope"],
    ]);
    expect(unknownSeries.status).toBe(400);
    expect(unknownSeries.body).toContain('<li data-field="series">Choose series from the list.</li>');
  });

  it("answers too many requests for one address with a page and Retry-After, whatever its state", async () => {
    const email = newAddress("busy");
    const config = loadConfig();
    for (let request = 0; request < config.subscribeRequestsPerHour; request++) {
      expect(
        (
          await postForm([
            ["email", email],
            ["language", "en"],
          ])
        ).status,
      ).toBe(200);
    }
    const refused = await postForm([
      ["lang", "be"],
      ["email", email],
      ["language", "en"],
    ]);
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.body).toContain("<h1>Занадта шмат запытаў</h1>");
  });
});
