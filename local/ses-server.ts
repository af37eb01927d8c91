/**
 * The local SES: aws-ses-v2-local (its mail viewer, GET /store, SendEmail and templates), behind a
 * thin front of ours that answers SendBulkEmail with inline templates the way SES does, where the
 * package differs in ways the send path depends on:
 * - at most 50 entries a call (the package takes any number);
 * - simple `{{name}}` substitution, one pass, no escaping, nothing else of Handlebars (the package
 *   renders full Handlebars); a variable without data is a rendering failure: SES accepts the
 *   entry and never delivers it (GET /rendering-failures lists them here);
 * - the template's attachments reach every mail (the package drops them), so the .ics shows in the viewer;
 * - the email tags and the configuration set are kept with each mail (`tags`, `configurationSetName`).
 * With a data folder, every accepted mail is appended to a file and read back at start, so the
 * viewer survives a restart (or a SIGKILL) of the stack, as delivered mail does.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import sesLocal from "aws-ses-v2-local";
import { clearStore, type Email, getStoreReadonly, saveEmail } from "aws-ses-v2-local/dist/store.js";
import { getCurrentTimestamp, getMessageId } from "aws-ses-v2-local/dist/util.js";
import { closeServer, listen } from "./server-lifecycle";

export interface LocalSesOptions {
  host: string;
  port: number;
  /** Keep accepted mail here across restarts; in memory only when absent. */
  dataDir?: string;
  /** Answer every send this much later, as the real service does (tens to hundreds of ms). */
  latencyMs?: number;
}

export interface LocalSes {
  port: number;
  stop(): Promise<void>;
}

/** Mails the local SES holds now (every server of this process shares the package's one store). */
export const storedMailCount = (): number => getStoreReadonly().emails.length;

/** SES's own limit on the entries of one SendBulkEmail call. */
export const MAX_BULK_ENTRIES = 50;

interface NameValue {
  Name: string;
  Value: string;
}

interface BulkRequest {
  FromEmailAddress?: string;
  ConfigurationSetName?: string;
  DefaultEmailTags?: NameValue[];
  DefaultContent?: {
    Template?: {
      TemplateName?: string;
      TemplateArn?: string;
      TemplateContent?: { Subject?: string; Html?: string; Text?: string };
      TemplateData?: string;
      Headers?: NameValue[];
      Attachments?: {
        FileName: string;
        RawContent: string;
        ContentType?: string;
        ContentDisposition?: string;
      }[];
    };
  };
  BulkEmailEntries?: {
    Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    ReplacementTags?: NameValue[];
    ReplacementHeaders?: NameValue[];
    ReplacementEmailContent?: { ReplacementTemplate?: { ReplacementTemplateData?: string } };
  }[];
}

/** A mail as the store keeps it, with what our front adds. */
export type StoredMail = Email & { tags?: { name: string; value: string }[]; configurationSetName?: string };

export interface RenderingFailure {
  messageId: string;
  to: string[];
  error: string;
  at: number;
}

class BadRequest extends Error {}
class RenderingFailed extends Error {}

const VARIABLE = /\{\{([^{}]*)\}\}/g;
/** What SES refuses outright as an address (it checks much more; our addresses are validated before). */
const ADDRESS = /^[^\s@]+@[^\s@]+$/;
const isAddress = (address: string) => ADDRESS.test(address);

/** SES's simple substitution: each `{{name}}` once by its value, verbatim; no value fails the rendering. */
export const substitute = (template: string, data: Record<string, unknown>): string =>
  template.replace(VARIABLE, (_match, name: string) => {
    const value = data[name.trim()];
    if (value === undefined || value === null || typeof value === "object") {
      throw new RenderingFailed(`Attribute '${name.trim()}' is not present in the rendering data.`);
    }
    return String(value);
  });

const parseData = (json: string | undefined, field: string): Record<string, unknown> => {
  if (json === undefined) return {};
  try {
    const data: unknown = JSON.parse(json);
    if (typeof data === "object" && data !== null && !Array.isArray(data))
      return data as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BadRequest(`${field} must be a JSON object`);
};

/** Same-named replacement headers win over the template's (SES's rule). */
const mergeByName = (defaults: NameValue[] = [], replacements: NameValue[] = []) => {
  const replaced = new Set(replacements.map((item) => item.Name.toLowerCase()));
  return [...defaults.filter((item) => !replaced.has(item.Name.toLowerCase())), ...replacements];
};

export const readBody = (incoming: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => resolve(Buffer.concat(chunks)));
    incoming.on("error", reject);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
  response.writeHead(status, {
    "content-type": "application/json",
    ...(errorType ? { "x-amzn-ErrorType": errorType } : {}),
  });
  response.end(JSON.stringify(body));
};

/** The mail file of a data folder: one JSON line per accepted mail. */
const mailFile = (dataDir: string) => join(dataDir, "ses", "mails.jsonl");

const loadMails = (file: string) => {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return;
  }
  // The store is the package's module state: the viewer and GET /store read this very array.
  const { emails } = getStoreReadonly();
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      emails.push(JSON.parse(line) as Email);
    } catch {
      // A line cut short by a kill mid-write: that mail was never acknowledged.
    }
  }
};

export const startLocalSes = async (options: LocalSesOptions): Promise<LocalSes> => {
  const file = options.dataDir ? mailFile(options.dataDir) : undefined;
  if (file) {
    mkdirSync(join(options.dataDir as string, "ses"), { recursive: true });
    clearStore();
    loadMails(file);
  }
  const keep = (mail: StoredMail) => {
    saveEmail(mail);
    // Written before SES answers, so a mail reported sent is never lost by a crash of the stack.
    if (file) appendFileSync(file, `${JSON.stringify(mail)}\n`);
  };
  const renderingFailures: RenderingFailure[] = [];

  const inner = await startPackageServer();
  const innerPort = (inner.address() as AddressInfo).port;

  const sendBulk = async (incoming: IncomingMessage, response: ServerResponse) => {
    const body = (await readBody(incoming)).toString("utf8");
    let input: BulkRequest;
    try {
      input = JSON.parse(body) as BulkRequest;
    } catch {
      return sendJson(response, 400, { message: "The request body is not JSON" }, "BadRequestException");
    }
    const template = input.DefaultContent?.Template;
    // Stored templates render with Handlebars in SES too: the package does that.
    if (template && !template.TemplateContent && (template.TemplateName || template.TemplateArn)) {
      return forward(incoming, response, Buffer.from(body));
    }
    try {
      const results = bulkResults(input, (mail) => keep(mail), renderingFailures);
      if (options.latencyMs) await delay(options.latencyMs);
      return sendJson(response, 200, { BulkEmailEntryResults: results });
    } catch (error) {
      if (error instanceof BadRequest) {
        return sendJson(response, 400, { message: error.message }, "BadRequestException");
      }
      throw error;
    }
  };

  const forward = (incoming: IncomingMessage, response: ServerResponse, body?: Buffer) => {
    const outgoing = request(
      {
        host: "127.0.0.1",
        port: innerPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      async (answer) => {
        const isSend = incoming.method === "POST" && incoming.url?.startsWith("/v2/email/outbound-emails");
        if (!isSend) {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          return;
        }
        const answered = await readBody(answer);
        if (options.latencyMs) await delay(options.latencyMs);
        if (file && answer.statusCode === 200) persistSent(file, answered);
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        response.end(answered);
      },
    );
    outgoing.on("error", (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    if (body) outgoing.end(body);
    else incoming.pipe(outgoing);
  };

  const front: Server = createServer((incoming, response) => {
    const path = (incoming.url ?? "").split("?")[0];
    if (incoming.method === "POST" && path === "/v2/email/outbound-bulk-emails") {
      // Like the package: any AWS signature will do, but there must be one.
      if (!incoming.headers.authorization?.startsWith("AWS")) {
        return sendJson(response, 403, { message: "Missing Authentication Token" }, "AccessDeniedException");
      }
      return void sendBulk(incoming, response).catch((error: unknown) => {
        sendJson(response, 500, { message: String(error) }, "InternalFailure");
      });
    }
    if (incoming.method === "GET" && path === "/rendering-failures") {
      return sendJson(response, 200, { failures: renderingFailures });
    }
    if (incoming.method === "POST" && path === "/clear-store") {
      renderingFailures.length = 0;
      if (file) writeFileSync(file, "");
    }
    forward(incoming, response);
  });

  try {
    const port = await listen(front, options.port, options.host);
    return {
      port,
      stop: async () => {
        await closeServer(front);
        await closeServer(inner);
      },
    };
  } catch (error) {
    await closeServer(inner);
    throw error;
  }
};

/** The package's own server, on a free loopback port: only our front talks to it. */
const startPackageServer = async (): Promise<Server> => {
  // The package is CommonJS with an ES-style default: Node hands ESM importers the exports object.
  const module_ = sesLocal as unknown as { default?: typeof sesLocal };
  const server = await (module_.default ?? sesLocal)({ host: "127.0.0.1", port: 0 });
  // It resolves even when listen failed (express reports the error to its callback only).
  if (!server.listening) throw new Error("aws-ses-v2-local could not listen");
  return server;
};

/** Appends the mail a successful SendEmail stored (the package keeps it in memory only). */
const persistSent = (file: string, answered: Buffer) => {
  const { MessageId } = JSON.parse(answered.toString("utf8")) as { MessageId?: string };
  const mail = getStoreReadonly().emails.findLast((candidate) => candidate.messageId === MessageId);
  if (mail) appendFileSync(file, `${JSON.stringify(mail)}\n`);
};

/** What SES does with one SendBulkEmail of an inline template: a result per entry, mails for the successes. */
const bulkResults = (
  input: BulkRequest,
  keep: (mail: StoredMail) => void,
  renderingFailures: RenderingFailure[],
) => {
  const entries = input.BulkEmailEntries ?? [];
  if (entries.length === 0) throw new BadRequest("BulkEmailEntries must have at least 1 entry");
  if (entries.length > MAX_BULK_ENTRIES) {
    throw new BadRequest(
      `BulkEmailEntries must have at most ${MAX_BULK_ENTRIES} entries, got ${entries.length}`,
    );
  }
  if (!input.FromEmailAddress) throw new BadRequest("FromEmailAddress is required");
  const template = input.DefaultContent?.Template;
  const content = template?.TemplateContent;
  if (!content?.Subject || (!content.Html && !content.Text)) {
    throw new BadRequest(
      "DefaultContent.Template needs TemplateContent with a Subject and an Html or Text part",
    );
  }
  const defaults = parseData(template?.TemplateData, "TemplateData");
  const attachments = (template?.Attachments ?? []).map((attachment) => ({
    content: attachment.RawContent,
    contentType: attachment.ContentType ?? "application/octet-stream",
    contentDisposition: attachment.ContentDisposition,
    filename: attachment.FileName,
    size: Buffer.from(attachment.RawContent, "base64").length,
  }));
  return entries.map((entry) => {
    const messageId = getMessageId();
    const to = entry.Destination?.ToAddresses ?? [];
    const cc = entry.Destination?.CcAddresses ?? [];
    const bcc = entry.Destination?.BccAddresses ?? [];
    if (to.length + cc.length + bcc.length === 0 || ![...to, ...cc, ...bcc].every(isAddress)) {
      return { Status: "INVALID_PARAMETER", Error: "Illegal address" };
    }
    const replacement = entry.ReplacementEmailContent?.ReplacementTemplate?.ReplacementTemplateData;
    let data: Record<string, unknown>;
    try {
      data = { ...defaults, ...parseData(replacement, "ReplacementTemplateData") };
    } catch (error) {
      return { Status: "INVALID_PARAMETER", Error: (error as Error).message };
    }
    const headers = mergeByName(template?.Headers, entry.ReplacementHeaders);
    const tags = mergeByName(input.DefaultEmailTags, entry.ReplacementTags);
    try {
      keep({
        messageId,
        from: input.FromEmailAddress as string,
        replyTo: [],
        destination: { to, cc, bcc },
        subject: substitute(content.Subject as string, data),
        body: {
          html: content.Html === undefined ? undefined : substitute(content.Html, data),
          text: content.Text === undefined ? undefined : substitute(content.Text, data),
        },
        attachments,
        headers: headers.map(({ Name, Value }) => ({ name: Name, value: Value })),
        tags: tags.map(({ Name, Value }) => ({ name: Name, value: Value })),
        ...(input.ConfigurationSetName ? { configurationSetName: input.ConfigurationSetName } : {}),
        at: getCurrentTimestamp(),
      });
    } catch (error) {
      if (!(error instanceof RenderingFailed)) throw error;
      // SES accepted it; the rendering failure comes later, as an event, and nothing is delivered.
      renderingFailures.push({ messageId, to, error: error.message, at: getCurrentTimestamp() });
    }
    return { Status: "SUCCESS", MessageId: messageId };
  });
};
