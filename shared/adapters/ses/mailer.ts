import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";

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

/** Sends one mail through SES v2 with its own headers (List-Unsubscribe), attachment and tags. */
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
          EmailTags: Object.entries(mail.tags ?? {}).map(([Name, Value]) => ({
            Name,
            Value: tagValue(Value),
          })),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: "UTF-8" },
              Body: {
                Html: { Data: mail.html, Charset: "UTF-8" },
                Text: { Data: mail.text, Charset: "UTF-8" },
              },
              Headers: mail.headers?.map(({ name, value }) => ({ Name: name, Value: value })),
              Attachments: mail.attachments?.map((attachment) => ({
                FileName: attachment.fileName,
                ContentType: attachment.contentType,
                RawContent: Buffer.from(attachment.content, "utf8"),
                ContentDisposition: "ATTACHMENT",
              })),
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
}

const THROTTLE_RETRIES = 4;
const wait = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

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
      await sleep(100 * 2 ** attempt + Math.floor(Math.random() * 100));
    }
  }
};
