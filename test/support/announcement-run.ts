/** A large announcement on the local stack, for the tests that interrupt one and resume it. */
import { createServer } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { expect } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../local/local-account";
import { SEED_EVENT } from "../../local/seed-data";
import { SubscriberRepository } from "../../shared/adapters/dynamodb/subscriber-repository";
import { parsePseudonymKey } from "../../shared/domain/subscriptions/keys";
import { type ActiveSubscriber, subscriberIdFor } from "../../shared/domain/subscriptions/subscriber";
import type { MailingStatusView } from "../../shared/use-cases/manage-mailings";
import { eventually } from "./eventually";
import { jsonOf } from "./http";
import type { StoredMail } from "./local-mail";

export const LANGUAGES = ["en", "ka", "hy", "az", "be", "ro", "ru", "uk"];
/** Four batches per language: more than the deliverers hold at once (2 × 10 messages). */
export const AUDIENCE = 1_600;
/** As slow as a real SES, so that an announcement takes seconds and can be interrupted. */
export const SES_LATENCY_MS = 150;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Confirmed subscribers written straight to the table (their ids keyed as the stack keys them). */
export const writeAudience = async (dynamodb: string, table: string, pseudonymKey: string, label: string) => {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const repository = new SubscriberRepository(documents, table);
  const keys = { pseudonyms: parsePseudonymKey(pseudonymKey) };
  const now = new Date().toISOString();
  const audience: ActiveSubscriber[] = Array.from({ length: AUDIENCE }, (_, index) => {
    const email = `${label}-${index}@example.org`;
    const language = LANGUAGES[index % LANGUAGES.length] as string;
    return {
      id: subscriberIdFor(keys, email),
      email,
      language,
      series: [],
      status: "confirmed",
      createdAt: now,
      updatedAt: now,
      linkVersion: 1,
      consent: { subscribedAt: now, confirmedAt: now, language, source: "test", subscribeIpHash: "test" },
    };
  });
  try {
    for (let start = 0; start < audience.length; start += 50) {
      await Promise.all(
        audience.slice(start, start + 50).map((subscriber) => repository.save(subscriber, undefined)),
      );
    }
  } finally {
    documents.destroy();
  }
  return audience;
};

export interface Editor {
  url: string;
  token: string;
}

export const asEditor = async (editor: Editor, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${editor.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${editor.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await jsonOf(response) };
};

/** A published event in every language, its title unique to the test; returns its id. */
export const publish = async (editor: Editor, title: string) => {
  const translations = Object.fromEntries(LANGUAGES.map((language) => [language, { title }]));
  const created = await asEditor(editor, "POST", "/api/admin/events", {
    ...SEED_EVENT,
    slug: title.toLowerCase().replaceAll(" ", "-"),
    start: "2031-06-01",
    end: "2031-06-01",
    translations,
  });
  expect(created.status).toBe(201);
  expect((await asEditor(editor, "POST", `/api/admin/events/${created.json.id}/publish`)).status).toBe(200);
  return created.json.id as string;
};

export const statusOf = async (editor: Editor, id: string): Promise<MailingStatusView> =>
  (await asEditor(editor, "GET", `/api/admin/events/${id}/announcement`)).json as MailingStatusView;

/**
 * Nothing is left to deliver: every planned batch is sent, or in doubt since before `crashedAt`
 * (a batch claimed since is still on its way).
 */
export const settled = async (editor: Editor, id: string, crashedAt?: Date, timeoutMs = 60_000) =>
  eventually(async () => {
    const status = await statusOf(editor, id);
    expect(status.status).toBe("queued");
    expect(status.batches).toMatchObject({ planned: 0, failed: 0 });
    const inFlight = status.plan.filter(
      (batch) =>
        batch.state === "in-doubt" &&
        (!crashedAt || Date.parse(batch.claimedAt ?? "") >= crashedAt.getTime()),
    );
    expect(inFlight).toEqual([]);
    return status;
  }, timeoutMs);

/** Each subscriber has one mail of the event, except whoever is listed in doubt, who has one or none. */
export const expectOneMailEachBarInDoubt = (
  mails: StoredMail[],
  title: string,
  audience: ActiveSubscriber[],
  status: MailingStatusView,
) => {
  const counts = new Map<string, number>();
  for (const mail of mails.filter((candidate) => candidate.subject === title)) {
    for (const address of mail.destination.to) counts.set(address, (counts.get(address) ?? 0) + 1);
  }
  const inDoubt = new Set(status.inDoubt.map((entry) => entry.subscriberId));
  const missing = audience.filter((subscriber) => !counts.has(subscriber.email));
  expect([...counts.values()].filter((count) => count > 1)).toEqual([]);
  expect(missing.filter((subscriber) => !inDoubt.has(subscriber.id))).toEqual([]);
  expect(status.recipients.inDoubt).toBeLessThanOrEqual(2 * 50);
  expect(counts.size + missing.length).toBe(audience.length);
};
