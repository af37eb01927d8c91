import {
  type BulkEmailStatus,
  type SESv2Client,
  SendBulkEmailCommand,
  SendEmailCommand,
} from "@aws-sdk/client-sesv2";

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: { name: string; value: string }[];
  attachments?: { fileName: string; contentType: string; content: string }[];
  tags?: Record<string, string>;
}

/** SES said "slow down": the send did not happen and may be retried. */
export class ThrottledError extends Error {
  override name = "ThrottledError";
}

/** SES refused this mail for good (e.g. a rejected or suppressed address). */
export class RejectedError extends Error {
  override name = "RejectedError";
}

/** SES answered the bulk call with a refusal of the whole call (paused, suspended, bad request): nothing was sent. */
export class NotSentError extends Error {
  override name = "NotSentError";
}

/** No answer, or a server error: SES may or may not have sent the mails (the in-doubt window). */
export class UnknownOutcomeError extends Error {
  override name = "UnknownOutcomeError";
}

/**
 * One SendBulkEmail call: an inline template (only our own `{{variables}}`; SES substitutes them
 * and escapes nothing) with its default data, headers, attachments and tags, and up to 50
 * recipients, each with their own data, headers (List-Unsubscribe) and tags.
 */
export interface BulkMail {
  subject: string;
  html: string;
  text: string;
  data: Record<string, string>;
  headers: { name: string; value: string }[];
  attachments: { fileName: string; contentType: string; content: string }[];
  tags: Record<string, string>;
  entries: BulkMailEntry[];
}

export interface BulkMailEntry {
  to: string;
  data: Record<string, string>;
  headers: { name: string; value: string }[];
  tags: Record<string, string>;
}

/** SES's answer for one entry, in the order of the entries. */
export interface BulkEntryResult {
  status: BulkEmailStatus | string;
  messageId?: string;
  error?: string;
}

/**
 * What an entry's status means for the ledger: sent; worth a retry after a backoff; refused for
 * good (record it, never retry); or held by the account or its configuration (not sent, retried
 * by the queue later, when ops have fixed it or the daily quota has reset).
 */
export type BulkEntryVerdict = "sent" | "retry" | "refused" | "held";

export const verdictOf = (status: BulkEntryResult["status"]): BulkEntryVerdict => {
  switch (status) {
    case "SUCCESS":
      return "sent";
    case "ACCOUNT_THROTTLED":
    case "TRANSIENT_FAILURE":
      return "retry";
    case "MESSAGE_REJECTED":
    case "INVALID_PARAMETER":
    case "FAILED":
      return "refused";
    default:
      // ACCOUNT_DAILY_QUOTA_EXCEEDED, ACCOUNT_SUSPENDED, ACCOUNT_SENDING_PAUSED, MAIL_FROM_DOMAIN_NOT_VERIFIED,
      // CONFIGURATION_SET_NOT_FOUND, CONFIGURATION_SET_SENDING_PAUSED, TEMPLATE_NOT_FOUND, INVALID_SENDING_POOL_NAME
      return "held";
  }
};

const THROTTLING = new Set([
  "TooManyRequestsException",
  "LimitExceededException",
  "ThrottlingException",
  "Throttling",
]);
// Only a refusal of this one message; account-wide refusals (paused, suspended) fail the batch for a retry.
const REJECTION = new Set(["MessageRejected"]);

// SES tag values allow only ASCII letters, digits, _ - . @
const tagValue = (value: string) => value.replace(/[^\w.@-]/g, "_").slice(0, 256);
const tagsOf = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) }));
const headersOf = (headers: { name: string; value: string }[]) =>
  headers.map(({ name, value }) => ({ Name: name, Value: value }));
const attachmentsOf = (attachments: OutgoingMail["attachments"] = []) =>
  attachments.map((attachment) => ({
    FileName: attachment.fileName,
    ContentType: attachment.contentType,
    RawContent: Buffer.from(attachment.content, "utf8"),
    ContentDisposition: "ATTACHMENT" as const,
  }));

/** Sends through SES v2: one mail (SendEmail), or one template to up to 50 recipients (SendBulkEmail). */
export class Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<string> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [mail.to] },
          ConfigurationSetName: this.configurationSet,
          EmailTags: tagsOf(mail.tags ?? {}),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: "UTF-8" },
              Body: {
                Html: { Data: mail.html, Charset: "UTF-8" },
                Text: { Data: mail.text, Charset: "UTF-8" },
              },
              Headers: mail.headers && headersOf(mail.headers),
              Attachments: mail.attachments && attachmentsOf(mail.attachments),
            },
          },
        }),
      );
      return result.MessageId ?? "";
    } catch (error) {
      const name = (error as Error).name;
      if (THROTTLING.has(name)) throw new ThrottledError((error as Error).message);
      if (REJECTION.has(name)) throw new RejectedError((error as Error).message);
      throw error;
    }
  }

  /**
   * One SendBulkEmail call; the results come back per entry. Throws ThrottledError or
   * NotSentError when SES refused the whole call (nothing sent), UnknownOutcomeError when it
   * cannot be known whether SES sent anything. The client must not retry on its own
   * (maxAttempts 1): a retry after a lost answer would send the batch twice.
   */
  async sendBulk(mail: BulkMail): Promise<BulkEntryResult[]> {
    try {
      const result = await this.client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: this.from,
          ConfigurationSetName: this.configurationSet,
          DefaultEmailTags: tagsOf(mail.tags),
          DefaultContent: {
            Template: {
              TemplateContent: { Subject: mail.subject, Html: mail.html, Text: mail.text },
              TemplateData: JSON.stringify(mail.data),
              Headers: headersOf(mail.headers),
              Attachments: attachmentsOf(mail.attachments),
            },
          },
          BulkEmailEntries: mail.entries.map((entry) => ({
            Destination: { ToAddresses: [entry.to] },
            ReplacementEmailContent: {
              ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(entry.data) },
            },
            ReplacementHeaders: headersOf(entry.headers),
            // The whole set on every entry: the same tags whether SES merges or replaces the defaults.
            ReplacementTags: tagsOf({ ...mail.tags, ...entry.tags }),
          })),
        }),
      );
      const results = result.BulkEmailEntryResults ?? [];
      if (results.length !== mail.entries.length) {
        throw new UnknownOutcomeError(
          `SES answered ${results.length} results for ${mail.entries.length} entries`,
        );
      }
      return results.map((entry) => ({
        status: entry.Status ?? "FAILED",
        ...(entry.MessageId ? { messageId: entry.MessageId } : {}),
        ...(entry.Error ? { error: entry.Error } : {}),
      }));
    } catch (error) {
      if (error instanceof UnknownOutcomeError) throw error;
      const { name, message } = error as Error;
      if (THROTTLING.has(name)) throw new ThrottledError(message);
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== undefined && status >= 400 && status < 500)
        throw new NotSentError(`${name}: ${message}`);
      throw new UnknownOutcomeError(`${name}: ${message}`);
    }
  }
}

/** Retries of throttled sends after the first attempt. */
export const THROTTLE_RETRIES = 4;
const wait = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Exponential backoff with jitter before retry `attempt` (0-based): 100–200 ms, 200–300 ms, 400–500 ms… */
export const backoffMs = (attempt: number): number => 100 * 2 ** attempt + Math.floor(Math.random() * 100);

/** Retries SES throttling with exponential backoff and jitter (a throttled send never happened). */
export const sendWithBackoff = async (
  mailer: Pick<Mailer, "send">,
  mail: OutgoingMail,
  sleep: (milliseconds: number) => Promise<void> = wait,
): Promise<string> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await mailer.send(mail);
    } catch (error) {
      if (!(error instanceof ThrottledError) || attempt >= THROTTLE_RETRIES) throw error;
      await sleep(backoffMs(attempt));
    }
  }
};
