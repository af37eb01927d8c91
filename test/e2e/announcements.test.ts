import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { seedOnFirstStart } from "../../local/seed";
import { SEED_EVENT } from "../../local/seed-data";
import { LOCAL_NAMES, type LocalStack, startLocalStack } from "../../local/stack";
import { subscriberIdFor } from "../../shared/domain/subscriptions/subscriber";
import { eventually } from "../support/eventually";
import { jsonOf } from "../support/http";
import { header, linkIn, mailsTo, sentMails } from "../support/local-mail";

const run = promisify(execFile);

let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  stack = await startLocalStack({ port: 0, sesPort: 0 });
  sqs = new SQSClient({ endpoint: stack.endpoints.sqs });
  await seedOnFirstStart(stack.url, stack.adminToken);
});
afterAll(async () => {
  sqs.destroy();
  await stack.stop();
});

/** Links in mails point at PUBLIC_URL; the test talks to the same front at its own address. */
const local = (link: string) => link.replace(stack.publicUrl, stack.url);

const subscribe = (email: string, language: string) =>
  fetch(`${stack.url}/api/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, language }),
  });

const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });

/** What a person does: open the link in the mail, then press the page's button. */
const confirmByMail = async (email: string) => {
  const [mail] = await eventually(async () => {
    const mails = await mailsTo(stack.sesUrl, email);
    expect(mails).toHaveLength(1);
    return mails;
  });
  const link = local(linkIn(mail as never, `${stack.publicUrl}/api/subscriptions/confirm`));
  const page = await (await fetch(link)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] as string;
  expect((await postForm(`${stack.url}/api/subscriptions/confirm`, { token })).status).toBe(200);
};

const publishEvent = async (slug: string, translations: Record<string, { title: string }>) => {
  const headers = { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" };
  const created = await fetch(`${stack.url}/api/admin/events`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      ...SEED_EVENT,
      slug,
      start: "2031-06-01T10:00:00",
      end: "2031-06-01T12:00:00",
      translations,
    }),
  });
  const { id } = await jsonOf(created);
  expect(
    (await fetch(`${stack.url}/api/admin/events/${id}/publish`, { method: "POST", headers })).status,
  ).toBe(200);
  return id as string;
};

/** Every announcement handed to SQS has been delivered: the stream is drained and the queue is empty. */
const deliveriesSettled = async () => {
  await stack.drained();
  await eventually(async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queueUrls.deliveries,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(
      Number(Attributes?.ApproximateNumberOfMessages) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    ).toBe(0);
  }, 15_000);
};

const announcementsOf = async (eventTitle: string) =>
  (await sentMails(stack.sesUrl)).filter((mail) => mail.subject.includes(eventTitle));

describe("a subscriber's journey on the local stack", () => {
  const subscribers = { nino: "nino@example.org", olena: "olena@example.org", anna: "anna@example.org" };
  const unconfirmed = "later@example.org";
  const leaving = "leaving@example.org";
  let firstAnnounced = "";

  beforeAll(async () => {
    for (const [email, language] of [
      [subscribers.nino, "ka"],
      [subscribers.olena, "uk"],
      [subscribers.anna, "en"],
      [unconfirmed, "en"],
      [leaving, "ru"],
    ] as const) {
      expect((await subscribe(email, language)).status).toBe(202);
    }
    for (const email of [...Object.values(subscribers), leaving]) await confirmByMail(email);
  });

  it("announces a new event once to every confirmed subscriber, in their language, with the unsubscribe headers and the .ics", async () => {
    const id = await publishEvent("first-announced", {
      en: { title: "Cluster day" },
      ka: { title: "კლასტერების დღე" },
    });
    firstAnnounced = id;
    await deliveriesSettled();

    const nino = (await mailsTo(stack.sesUrl, subscribers.nino)).filter((mail) =>
      mail.subject.includes("კლასტერების დღე"),
    );
    expect(nino).toHaveLength(1);
    // Ukrainian is missing: the event text falls back to the default language.
    const olena = (await mailsTo(stack.sesUrl, subscribers.olena)).filter((mail) =>
      mail.subject.includes("Cluster day"),
    );
    expect(olena).toHaveLength(1);
    expect(olena[0]?.body.html).toContain('lang="uk"');
    // The seed's people: in Georgian for Nino, in the default language (marked) for Olena.
    for (const part of [nino[0]?.body.html, nino[0]?.body.text]) {
      expect(part).toContain("ანა პობოლი");
      expect(part).toContain("ოლგა შაპოვალი, აღმასრულებელი დირექტორი");
      expect(part).not.toContain("Olga Shapoval");
    }
    expect(olena[0]?.body.html).toContain('<span lang="en" dir="ltr">Olga Shapoval, Executive director');
    // Each links the event page in the language its text is in.
    expect(linkIn(olena[0] as never, `${stack.publicUrl}/en/events/`)).toContain(
      "/en/events/first-announced",
    );
    expect(linkIn(nino[0] as never, `${stack.publicUrl}/ka/events/`)).toContain("/ka/events/first-announced");
    expect(await announcementsOf("Cluster day")).toHaveLength(3);
    expect(await mailsTo(stack.sesUrl, unconfirmed)).toHaveLength(1); // the confirmation mail only

    for (const mail of [...nino, ...olena]) {
      expect(header(mail, "List-Unsubscribe")).toMatch(
        /^<http:\/\/localhost:\d+\/api\/subscriptions\/unsubscribe\?token=[\w.-]+>$/,
      );
      expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      const attachment = mail.attachments[0];
      expect(attachment?.filename ?? attachment?.fileName).toBe("event.ics");
      expect(attachment?.contentType).toContain("text/calendar");
    }
    // Each mail's "add to calendar" link gives the calendar in the language of the mail's text.
    const calendarOf = async (mail: never) => {
      const calendar = await fetch(local(linkIn(mail, `${stack.publicUrl}/api/events/${id}/calendar.ics`)));
      expect(calendar.headers.get("content-type")).toContain("text/calendar");
      return calendar.text();
    };
    const georgian = await calendarOf(nino[0] as never);
    expect(georgian).toContain(`UID:${id}@eventcast`);
    expect(georgian).toContain("SUMMARY:კლასტერების დღე");
    expect(await calendarOf(olena[0] as never)).toContain("SUMMARY:Cluster day");
  });

  it("leaves with one click: a GET of the link changes nothing, the RFC 8058 POST unsubscribes", async () => {
    const [mail] = (await mailsTo(stack.sesUrl, leaving)).filter((candidate) =>
      header(candidate, "List-Unsubscribe"),
    );
    const url = local((header(mail as never, "List-Unsubscribe") as string).slice(1, -1));

    const scanned = await fetch(url);
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain('method="post"');

    const second = await publishEvent("second-announced", { en: { title: "Second cluster day" } });
    await deliveriesSettled();
    expect((await announcementsOf("Second cluster day")).map((m) => m.destination.to[0]).sort()).toEqual(
      [subscribers.anna, leaving, subscribers.nino, subscribers.olena].sort(),
    );

    const oneClick = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get("location")).toBeNull();
    expect(oneClick.headers.get("set-cookie")).toBeNull();
    expect(second).toBeTruthy();

    await publishEvent("third-announced", { en: { title: "Third cluster day" } });
    await deliveriesSettled();
    const third = (await announcementsOf("Third cluster day")).map((m) => m.destination.to[0]).sort();
    expect(third).toEqual([subscribers.anna, subscribers.nino, subscribers.olena].sort());
  });

  it("shows ops every batch of an announcement sent, and refuses to resume one that reached everyone", async () => {
    const id = await publishEvent("fully-announced", { en: { title: "Fully announced cluster day" } });
    await deliveriesSettled();
    const headers = { authorization: `Bearer ${stack.adminToken}` };

    const status = await jsonOf(await fetch(`${stack.url}/api/admin/events/${id}/announcement`, { headers }));
    const reached = (await announcementsOf("Fully announced cluster day")).length;
    expect(status).toMatchObject({
      eventId: id,
      mailing: "announcement",
      status: "queued",
      batches: { planned: 0, failed: 0, "in-doubt": 0 },
      recipients: { sent: reached, pending: 0, inDoubt: 0 },
      inDoubt: [],
    });
    expect(status.batches.sent).toBeGreaterThan(0);
    for (const batch of status.plan) expect(batch.state).toBe("sent");

    const resumed = await fetch(`${stack.url}/api/admin/events/${id}/announce`, { method: "POST", headers });
    expect(resumed.status).toBe(409);
    expect(JSON.stringify(await jsonOf(resumed))).toContain("already reached every subscriber");
  });

  it("answers every subscription request alike, whatever the address's state", async () => {
    const answers = await Promise.all(
      ["brand-new@example.org", subscribers.nino, unconfirmed, leaving].map(async (email) => {
        const response = await subscribe(email, "en");
        return [response.status, await response.text()];
      }),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]?.[0]).toBe(202);
  });

  it("hashes the address the front saw, whatever CloudFront-Viewer-Address or X-Forwarded-For the client sends", async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.endpoints.dynamodb,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const consentHash = async (email: string, headers: Record<string, string>) => {
      const response = await fetch(`${stack.url}/api/subscriptions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email, language: "en" }),
      });
      expect(response.status).toBe(202);
      const id = subscriberIdFor({ pseudonyms: process.env.PSEUDONYM_KEY as string }, email);
      const { Item } = await documents.send(
        new GetCommand({
          TableName: LOCAL_NAMES.subscribersTable,
          Key: { pk: `SUBSCRIBER#${id}`, sk: "SUBSCRIBER" },
        }),
      );
      return Item?.consent.subscribeIpHash as string;
    };
    const honest = await consentHash("honest@example.org", {});
    const forged = await consentHash("forged@example.org", {
      "cloudfront-viewer-address": "203.0.113.66:1234",
      "x-forwarded-for": "203.0.113.66",
      "x-origin-verify": "guessed",
    });
    expect(forged).toBe(honest);
    documents.destroy();
  });

  it("erases a person with npm run erase: record, request counters and their place in mailing batches gone, mailed no more", async () => {
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.endpoints.dynamodb,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const id = subscriberIdFor({ pseudonyms: process.env.PSEUDONYM_KEY as string }, subscribers.anna);
    const deliveries = async () =>
      (
        await documents.send(
          new QueryCommand({
            TableName: LOCAL_NAMES.subscribersTable,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": `DELIVERY#${firstAnnounced}` },
          }),
        )
      ).Items?.flatMap((item) => item.subscriberIds as string[]) ?? [];
    const itemsNamingAnna = async () =>
      (
        await documents.send(
          new ScanCommand({ TableName: LOCAL_NAMES.subscribersTable, ConsistentRead: true }),
        )
      ).Items?.filter(
        (item) => JSON.stringify(item).includes(id) || JSON.stringify(item).includes("anna@"),
      ) ?? [];
    const before = await deliveries();
    expect(before).toContain(id);
    expect((await itemsNamingAnna()).length).toBeGreaterThan(1);

    const { stdout } = await run("npm", ["run", "--silent", "erase", "--", subscribers.anna], {
      env: { ...process.env, PORT: new URL(stack.url).port, ADMIN_TOKEN: stack.adminToken },
    });

    expect(stdout).toMatch(/^200 OK\n/);
    expect(stdout).toContain("erased");
    expect(await itemsNamingAnna()).toEqual([]);
    expect(await deliveries()).toEqual(before.filter((planned) => planned !== id));
    await publishEvent("after-erasure", { en: { title: "Cluster day after an erasure" } });
    await deliveriesSettled();
    const recipients = (await announcementsOf("Cluster day after an erasure")).map(
      (m) => m.destination.to[0],
    );
    expect(recipients).not.toContain(subscribers.anna);
    expect(recipients).toContain(subscribers.nino);
    documents.destroy();
  });
});
