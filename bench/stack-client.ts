/** What the stack benchmarks do over HTTP: the editors' API as local/seed.ts calls it, and the mail store. */
import { SEED_EVENT } from "../local/seed-data";
import type { LocalStack } from "../local/stack";

export const callAsEditor = async (
  stack: LocalStack,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> => {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status} ${JSON.stringify(json)}`);
  return json;
};

/** A draft of the seed event (English and Georgian) under a new slug, on a future day; returns its id. */
export const createDraftEvent = async (stack: LocalStack, slug: string): Promise<string> => {
  const created = await callAsEditor(stack, "POST", "/api/admin/events", {
    ...SEED_EVENT,
    slug,
    start: "2031-06-01",
    end: "2031-06-01",
  });
  return String(created.id);
};

export const publishEvent = (stack: LocalStack, id: string) =>
  callAsEditor(stack, "POST", `/api/admin/events/${id}/publish`);

/** A mail as aws-ses-v2-local keeps it (GET /store). */
export interface StoredMail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  attachments?: { filename?: string; contentType?: string; content: string }[];
}

export const storedMails = async (stack: LocalStack): Promise<StoredMail[]> => {
  const response = await fetch(new URL("/store", stack.sesUrl));
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

export const clearMailStore = async (stack: LocalStack): Promise<void> => {
  const response = await fetch(new URL("/clear-store", stack.sesUrl), { method: "POST" });
  await response.text();
};
