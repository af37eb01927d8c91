import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOnFirstStart } from "../../local/seed";
import { SEED_EVENT } from "../../local/seed-data";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { eventually } from "../support/eventually";
import { jsonOf } from "../support/http";
import { header, linkIn, mailsTo, type StoredMail, sentMails } from "../support/local-mail";

let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  // The test moves the sweep's clock itself.
  stack = await startLocalStack({ port: 0, sesPort: 0, sweepIntervalMs: 0 });
  sqs = new SQSClient({ endpoint: stack.endpoints.sqs });
  await seedOnFirstStart(stack.url, stack.adminToken);
});
afterAll(async () => {
  sqs.destroy();
  await stack.stop();
});

const local = (link: string) => link.replace(stack.publicUrl, stack.url);
const adminCall = (method: string, path: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const postForm = (url: string, fields: Record<string, string> | URLSearchParams) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });

const subscribeAndConfirm = async (email: string, language: string) => {
  const subscribed = await fetch(`${stack.url}/api/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, language }),
  });
  expect(subscribed.status).toBe(202);
  const [mail] = await eventually(async () => {
    const mails = await mailsTo(stack.sesUrl, email);
    expect(mails).toHaveLength(1);
    return mails;
  });
  const link = local(linkIn(mail as StoredMail, `${stack.publicUrl}/api/subscriptions/confirm`));
  const token = /name="token" value="([^"]+)"/.exec(await (await fetch(link)).text())?.[1] as string;
  expect((await postForm(`${stack.url}/api/subscriptions/confirm`, { token })).status).toBe(200);
};

/** Everything queued has been delivered: the stream is drained and the delivery queue is empty. */
const settled = async () => {
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
  await stack.drained();
};

/** Sweeps as of `minutes` from now, then waits for what it started to be delivered. */
const sweepAt = async (minutes: number) => {
  await stack.sweep(new Date(Date.now() + minutes * 60_000).toISOString());
  await settled();
};

const calendarOf = (mail: StoredMail): string => {
  const content = mail.attachments[0]?.content ?? "";
  return Buffer.from(content, "base64").toString("utf8");
};

const TITLE = "Digital skills forum";
const mailsAbout = async (kicker: RegExp) =>
  (await sentMails(stack.sesUrl)).filter((mail) => mail.subject.includes(TITLE) && kicker.test(mail.subject));
/** A notice's subject leads with what changed, in English or Ukrainian: "New time", "Now online", "Нове місце"… */
const NOTICE = /^(New |Now |Нов|Тепер )/;
const subjectOf = (mails: StoredMail[], to: string) =>
  mails.find((mail) => mail.destination.to[0] === to)?.subject;
const byRecipient = (mails: StoredMail[]) => mails.map((mail) => mail.destination.to[0]).sort();

describe("after the announcement, on the local stack", () => {
  const subscribers = { anna: "anna@example.org", olena: "olena@example.org" };
  const late = "late@example.org";
  let id = "";
  let event: Record<string, unknown> = {};

  const edit = async (changes: Record<string, unknown>, query = "") => {
    const current = await jsonOf(await adminCall("GET", `/api/admin/events/${id}`));
    const response = await adminCall("PUT", `/api/admin/events/${id}${query}`, { ...current, ...changes });
    expect(response.status).toBe(200);
    event = await jsonOf(response);
    await stack.drained();
  };

  beforeAll(async () => {
    await subscribeAndConfirm(subscribers.anna, "en");
    await subscribeAndConfirm(subscribers.olena, "uk");
    const created = await adminCall("POST", "/api/admin/events", {
      ...SEED_EVENT,
      slug: "digital-skills-forum",
      start: "2031-06-01T10:00:00",
      end: "2031-06-01T12:00:00",
      timeZone: "Europe/Kyiv",
      location: { type: "online", url: "https://example.org/live" },
      translations: { en: { title: TITLE } },
    });
    id = (await jsonOf(created)).id as string;
    expect((await adminCall("POST", `/api/admin/events/${id}/publish`)).status).toBe(200);
    await settled();
    // Confirmed after the announcement: hears nothing of this event.
    await subscribeAndConfirm(late, "en");
  });

  it("announces the event once to each subscriber", async () => {
    const announcements = (await sentMails(stack.sesUrl)).filter((mail) => mail.subject === TITLE);
    expect(byRecipient(announcements)).toEqual([subscribers.anna, subscribers.olena]);
  });

  it("sends one notice when the event moves, with old and new times and the .ics at a higher SEQUENCE", async () => {
    await edit({ start: "2031-06-01T14:00:00", end: "2031-06-01T16:00:00" });
    const pending = await jsonOf(await adminCall("GET", `/api/admin/events/${id}/notice`));
    expect(pending.pending.changes).toEqual(["time"]);
    // Not before the notice delay has passed since the change.
    await sweepAt(29);
    expect(await mailsAbout(NOTICE)).toEqual([]);
    await sweepAt(31);
    const notices = await mailsAbout(NOTICE);
    expect(byRecipient(notices)).toEqual([subscribers.anna, subscribers.olena]);
    const anna = notices.find((mail) => mail.destination.to[0] === subscribers.anna) as StoredMail;
    expect(anna.subject).toBe(`New time: ${TITLE}`);
    expect(anna.body.text?.split("\n")[0]).toMatch(/^New time · /);
    expect(anna.body.text).toContain("Time: 1 June 2031 10:00–12:00 → 14:00–16:00 EEST (Europe/Kyiv)");
    const olena = notices.find((mail) => mail.destination.to[0] === subscribers.olena) as StoredMail;
    expect(olena.subject).toBe(`Новий час: ${TITLE}`);
    expect(olena.body.text).toContain("Час: 1 червня 2031 р. 10:00–12:00 → 14:00–16:00");
    for (const mail of notices) {
      expect(header(mail, "List-Unsubscribe")).toMatch(
        /^<http:\/\/localhost:\d+\/api\/subscriptions\/unsubscribe\?token=/,
      );
      expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      const ics = calendarOf(mail);
      expect(ics).toContain(`UID:${id}@eventcast`);
      expect(ics).toContain(`SEQUENCE:${event.revision}`);
      expect(ics).toContain("DTSTART;TZID=Europe/Kyiv:20310601T140000");
    }
    // The public calendar and the page's JSON-LD agree with the mail.
    const published = await (await fetch(`${stack.url}/api/events/${id}/calendar.ics`)).text();
    expect(published).toContain(`SEQUENCE:${event.revision}`);
    const feed = await jsonOf(await fetch(`${stack.url}/feed.json`));
    const item = feed.items.find((candidate: { id: string }) => candidate.id === id);
    expect(item._event).toMatchObject({ sequence: event.revision, previousStart: "2031-06-01T10:00:00" });
    const page = await (await fetch(`${stack.url}/en/events/digital-skills-forum`)).text();
    expect(page).toContain("EventRescheduled");
    expect(page).toContain('"previousStartDate":"2031-06-01T10:00:00+03:00"');
    expect((await jsonOf(await adminCall("GET", `/api/admin/events/${id}/notice`))).pending).toBeNull();
  });

  it("sends one notice for three quick edits, and none for a change reverted within the window or a text fix", async () => {
    await edit({ start: "2031-06-01T15:00:00", end: "2031-06-01T17:00:00" });
    await edit({ location: { type: "online", url: "https://example.org/new-live" } });
    await edit({ start: "2031-06-01T16:00:00", end: "2031-06-01T18:00:00" });
    await sweepAt(31);
    const notices = (await mailsAbout(NOTICE)).filter((mail) => mail.body.text?.includes("new-live"));
    expect(byRecipient(notices)).toEqual([subscribers.anna, subscribers.olena]);
    expect(subjectOf(notices, subscribers.anna)).toBe(`New time and place: ${TITLE}`);
    expect(subjectOf(notices, subscribers.olena)).toBe(`Нові час і місце: ${TITLE}`);
    expect(notices.find((mail) => mail.destination.to[0] === subscribers.anna)?.body.text).toContain(
      "Time: 1 June 2031 14:00–16:00 → 16:00–18:00 EEST (Europe/Kyiv)",
    );
    expect(notices.find((mail) => mail.destination.to[0] === subscribers.anna)?.body.text).toContain(
      "Online link: https://example.org/live → https://example.org/new-live",
    );

    const before = (await sentMails(stack.sesUrl)).length;
    await edit({ start: "2031-06-01T09:00:00", end: "2031-06-01T11:00:00" });
    await edit({ start: "2031-06-01T16:00:00", end: "2031-06-01T18:00:00" });
    await edit({ translations: { en: { title: TITLE, summary: "A typo fixed" } } });
    await sweepAt(31);
    expect((await sentMails(stack.sesUrl)).length).toBe(before);
  });

  it("lets an editor send a notice at once, or suppress it", async () => {
    await edit({ location: { type: "online", url: "https://example.org/room-2" } });
    expect((await adminCall("POST", `/api/admin/events/${id}/notice`)).status).toBe(202);
    await settled();
    const now = (await mailsAbout(NOTICE)).filter((mail) => mail.body.text?.includes("room-2"));
    expect(byRecipient(now)).toEqual([subscribers.anna, subscribers.olena]);
    expect(subjectOf(now, subscribers.anna)).toBe(`New online link: ${TITLE}`);

    const before = (await sentMails(stack.sesUrl)).length;
    await edit({ location: { type: "online", url: "https://example.org/room-3" } });
    expect((await adminCall("DELETE", `/api/admin/events/${id}/notice`)).status).toBe(204);
    await sweepAt(31);
    expect((await sentMails(stack.sesUrl)).length).toBe(before);
    const nothing = await adminCall("POST", `/api/admin/events/${id}/notice`);
    expect(nothing.status).toBe(409);
    expect((await jsonOf(nothing)).message).toContain("No change notice is pending");
    expect((await adminCall("GET", "/api/admin/events/no-such-event/notice")).status).toBe(404);

    // A quiet edit (?notice=none) is told to nobody, while the burst's other change still is.
    await edit({ start: "2031-06-01T17:00:00", end: "2031-06-01T19:00:00" });
    await edit({ location: { type: "online", url: "https://example.org/room-4" } }, "?notice=none");
    await sweepAt(31);
    const told = (await mailsAbout(NOTICE)).filter((mail) => mail.body.text?.includes("17:00–19:00"));
    expect(byRecipient(told)).toEqual([subscribers.anna, subscribers.olena]);
    // The quiet edit's new link is in the details, but the notice tells only the move.
    expect(subjectOf(told, subscribers.anna)).toBe(`New time: ${TITLE}`);
    for (const mail of told) {
      expect(mail.body.text).toContain("https://example.org/room-4");
      expect(mail.body.text).not.toContain("room-3 →");
    }
    const bad = await adminCall("PUT", `/api/admin/events/${id}?notice=later`, {});
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toContainEqual({
      path: "notice",
      message: "must be one of: send, none",
    });
    expect((await adminCall("DELETE", "/api/admin/events/no-such-event/notice")).status).toBe(404);
  });

  it("reminds once, the lead time before the moved start, only those who want reminders", async () => {
    // Olena turns reminders off on her manage page.
    const [announcement] = (await mailsTo(stack.sesUrl, subscribers.olena)).filter(
      (mail) => mail.subject === TITLE,
    );
    const manage = local(linkIn(announcement as StoredMail, `${stack.publicUrl}/api/subscriptions/manage`));
    const token = new URL(manage).searchParams.get("token") as string;
    const form = new URLSearchParams({ token, language: "uk", reminders: "no" });
    expect((await postForm(`${stack.url}/api/subscriptions/manage`, form)).status).toBe(200);

    const start = Date.parse("2031-06-01T17:00:00+03:00");
    const minutesTo = (instant: number) => (instant - Date.now()) / 60_000;
    await sweepAt(minutesTo(start - 25 * 3_600_000));
    // The local deliverer renders with the real clock, long before the event: the reminder names its date
    // (with its year while that is more than half a year away).
    const REMINDER = /^On 1 June( 2031)? at 17:00 EEST: |^1 червня( 2031 р\.)? о 17:00 GMT\+3: /;
    expect(await mailsAbout(REMINDER)).toEqual([]);
    await sweepAt(minutesTo(start - 23.9 * 3_600_000));
    const reminders = await mailsAbout(REMINDER);
    expect(byRecipient(reminders)).toEqual([subscribers.anna]);
    expect(reminders[0]?.body.text?.split("\n")[0]).toMatch(/^On 1 June( 2031)? at 17:00 EEST · /);
    expect(reminders[0]?.body.text).toContain("https://example.org/room-4");
    expect(calendarOf(reminders[0] as StoredMail)).toContain(`UID:${id}@eventcast`);
    await sweepAt(minutesTo(start - 60_000));
    expect(await mailsAbout(REMINDER)).toHaveLength(1);
  });

  it("sends one cancellation mail with STATUS:CANCELLED, and nothing to those not announced", async () => {
    expect((await adminCall("POST", `/api/admin/events/${id}/cancel`)).status).toBe(200);
    await settled();
    await sweepAt(31);
    const cancellations = await mailsAbout(/^Cancelled|^Скасовано/);
    expect(byRecipient(cancellations)).toEqual([subscribers.anna, subscribers.olena]);
    const anna = cancellations.find((mail) => mail.destination.to[0] === subscribers.anna) as StoredMail;
    expect(anna.body.text).toContain("This event has been cancelled and will not take place.");
    expect(calendarOf(anna)).toContain("STATUS:CANCELLED");
    expect(calendarOf(anna)).toContain("METHOD:PUBLISH");
    expect((await mailsTo(stack.sesUrl, late)).filter((mail) => mail.subject.includes(TITLE))).toEqual([]);
    const status = await jsonOf(await adminCall("GET", `/api/admin/events/${id}/mailings/cancellation`));
    expect(status).toMatchObject({ status: "queued", recipients: { planned: 2, sent: 2 } });
    expect((await adminCall("GET", `/api/admin/events/${id}/mailings/cancellation!`)).status).toBe(404);
    expect((await adminCall("GET", `/api/admin/events/${id}/mailings/notice-999`)).status).toBe(404);
    const resumed = await adminCall("POST", `/api/admin/events/${id}/mailings/cancellation/resume`);
    expect(resumed.status).toBe(409);
  });
});
