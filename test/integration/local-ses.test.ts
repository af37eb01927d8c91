/**
 * The local SES answers SendBulkEmail the way SES does where the send path depends on it
 * (local/ses-server.ts): at most 50 entries, simple substitution without escaping, the template's
 * attachments in every mail, tags and configuration set kept, a rendering failure accepted but
 * never delivered, and, with a data folder, accepted mail kept across a restart.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BadRequestException,
  SESv2Client,
  SendBulkEmailCommand,
  type SendBulkEmailCommandInput,
} from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { type LocalSes, startLocalSes } from "../../local/ses-server";
import { clearSentMails, renderingFailures, sentMails } from "../support/local-mail";

let ses: LocalSes;
let url: string;
let client: SESv2Client;

const connect = (server: LocalSes) => {
  client?.destroy();
  url = `http://127.0.0.1:${server.port}`;
  client = new SESv2Client({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
};

beforeAll(async () => {
  ses = await startLocalSes({ host: "127.0.0.1", port: 0 });
  connect(ses);
});
afterAll(async () => {
  client?.destroy();
  await ses?.stop();
});
beforeEach(() => clearSentMails(url));

const bulk = (
  entries: number,
  changes: Partial<SendBulkEmailCommandInput> = {},
): SendBulkEmailCommandInput => ({
  FromEmailAddress: "events@example.org",
  ConfigurationSetName: "eventcast-set",
  DefaultEmailTags: [{ Name: "kind", Value: "announcement" }],
  DefaultContent: {
    Template: {
      TemplateContent: {
        Subject: "{{subject}}",
        Html: '<p>{{body}}</p><a href="{{link}}">x</a>',
        Text: "{{body}} {{link}}",
      },
      TemplateData: JSON.stringify({ subject: "Cluster day", body: "<b>{{link}}</b> & {{#if x}}" }),
      Headers: [{ Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" }],
      Attachments: [
        { FileName: "event.ics", ContentType: "text/calendar", RawContent: Buffer.from("BEGIN:VCALENDAR") },
      ],
    },
  },
  BulkEmailEntries: Array.from({ length: entries }, (_, index) => ({
    Destination: { ToAddresses: [`reader-${index}@example.org`] },
    ReplacementEmailContent: {
      ReplacementTemplate: {
        ReplacementTemplateData: JSON.stringify({ link: `https://example.org/u/${index}` }),
      },
    },
    ReplacementHeaders: [{ Name: "List-Unsubscribe", Value: `<https://example.org/u/${index}>` }],
    ReplacementTags: [{ Name: "subscriber", Value: `s${index}` }],
  })),
  ...changes,
});

describe("SendBulkEmail on the local SES", () => {
  it("refuses more than 50 entries, as SES does, and sends nothing", async () => {
    await expect(client.send(new SendBulkEmailCommand(bulk(51)))).rejects.toBeInstanceOf(BadRequestException);
    expect(await sentMails(url)).toEqual([]);
    const { BulkEmailEntryResults } = await client.send(new SendBulkEmailCommand(bulk(50)));
    expect(BulkEmailEntryResults?.map((result) => result.Status)).toEqual(Array(50).fill("SUCCESS"));
  });

  it("substitutes each variable once, escaping nothing, and keeps data that looks like a variable as text", async () => {
    await client.send(new SendBulkEmailCommand(bulk(2)));
    const [first] = (await sentMails(url)).filter(
      (mail) => mail.destination.to[0] === "reader-0@example.org",
    );
    expect(first?.subject).toBe("Cluster day");
    expect(first?.body.html).toBe(
      '<p><b>{{link}}</b> & {{#if x}}</p><a href="https://example.org/u/0">x</a>',
    );
    expect(first?.body.text).toBe("<b>{{link}}</b> & {{#if x}} https://example.org/u/0");
  });

  it("puts the template's attachment in every mail, and keeps each mail's headers, tags and configuration set", async () => {
    await client.send(new SendBulkEmailCommand(bulk(3)));
    const mails = await sentMails(url);
    expect(mails).toHaveLength(3);
    for (const mail of mails) {
      const index = (mail.destination.to[0] as string).match(/reader-(\d+)/)?.[1];
      expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(["event.ics"]);
      expect(Buffer.from(mail.attachments[0]?.content ?? "", "base64").toString()).toBe("BEGIN:VCALENDAR");
      expect(mail.headers).toEqual([
        { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
        { name: "List-Unsubscribe", value: `<https://example.org/u/${index}>` },
      ]);
      expect(mail.tags).toEqual([
        { name: "kind", value: "announcement" },
        { name: "subscriber", value: `s${index}` },
      ]);
      expect(mail.configurationSetName).toBe("eventcast-set");
    }
  });

  it("accepts an entry whose data lacks a variable, and delivers it never, reporting a rendering failure", async () => {
    const input = bulk(2);
    const entries = input.BulkEmailEntries ?? [];
    (entries[1] as (typeof entries)[number]).ReplacementEmailContent = undefined;

    const { BulkEmailEntryResults } = await client.send(new SendBulkEmailCommand(input));

    expect(BulkEmailEntryResults?.map((result) => result.Status)).toEqual(["SUCCESS", "SUCCESS"]);
    expect((await sentMails(url)).map((mail) => mail.destination.to[0])).toEqual(["reader-0@example.org"]);
    expect(await renderingFailures(url)).toEqual([
      expect.objectContaining({ to: ["reader-1@example.org"], error: expect.stringContaining("link") }),
    ]);
  });

  it("answers an entry with an address SES cannot take, and sends the others", async () => {
    const input = bulk(2);
    const entries = input.BulkEmailEntries ?? [];
    (entries[0] as (typeof entries)[number]).Destination = { ToAddresses: ["not an address"] };

    const { BulkEmailEntryResults } = await client.send(new SendBulkEmailCommand(input));

    expect(BulkEmailEntryResults?.map((result) => result.Status)).toEqual(["INVALID_PARAMETER", "SUCCESS"]);
    expect(await sentMails(url)).toHaveLength(1);
  });
});

describe("the local SES with a data folder", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "eventcast-ses-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("still shows every accepted mail after a restart", async () => {
    const first = await startLocalSes({ host: "127.0.0.1", port: 0, dataDir });
    connect(first);
    await clearSentMails(url);
    await client.send(new SendBulkEmailCommand(bulk(3)));
    await first.stop();

    const second = await startLocalSes({ host: "127.0.0.1", port: 0, dataDir });
    connect(second);
    try {
      expect((await sentMails(url)).map((mail) => mail.destination.to[0]).sort()).toEqual([
        "reader-0@example.org",
        "reader-1@example.org",
        "reader-2@example.org",
      ]);
    } finally {
      await second.stop();
      connect(ses);
    }
  });
});
