import { RemovalPolicy } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { z } from "zod";
import { readTextByLanguage, trimTrailingSlashes } from "../shared/config";
import { PRINCIPAL_PATTERN } from "../shared/domain/principals";

/**
 * The context values ops pass to `cdk deploy -c key=value`, checked at synth time so a typo
 * fails the synth instead of the first cold start. CLI context arrives as strings.
 */
const languageList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((part) => part.trim()))
  .pipe(z.array(z.string().regex(/^[a-z]{2,3}(-[a-z]{2})?$/, "language codes like en or pt-br")).min(1));

const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^/\s]+/, "an http(s) URL")
  .transform(trimTrailingSlashes);

/** IAM principals as ARNs: users, or roles (every session of a listed role is let in). */
const principalList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(",")).map((part) => part.trim()).filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(PRINCIPAL_PATTERN, "IAM user or role ARNs, e.g. arn:aws:iam::123456789012:role/Editor"),
    ),
  );

/**
 * FEED_TITLE / FEED_DESCRIPTION as the functions read them: a text, or texts by language given as a
 * JSON object (in cdk.json) or as its JSON text (`-c`); checked against the languages below.
 */
const textByLanguage = z
  .union([z.string().trim().min(1), z.record(z.string(), z.unknown())])
  .transform((value) => (typeof value === "string" ? value : JSON.stringify(value)));

const removalPolicies = { destroy: RemovalPolicy.DESTROY, retain: RemovalPolicy.RETAIN } as const;

/** A context value the stack cannot do without: the message says what to pass. */
const requiredText = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `required: ${what}` : "must be text") })
    .trim()
    .min(1, `required: ${what}`)
    .regex(/^[^\r\n]*$/, "one line (it ends up in mail headers and footers)");

/** The From of every mail, `x@domain` or `Name <x@domain>`; its domain is the SES identity we may send as. */
const senderAddress = requiredText(
  "the From of every mail, an SES-verified address or domain, e.g. -c senderAddress='Events <events@example.org>'",
).transform((value, ctx) => {
  const match = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  const address = match?.[1] ?? match?.[2] ?? "";
  if (!z.email().safeParse(address).success) {
    ctx.addIssue({ code: "custom", message: "an address like x@domain or Name <x@domain>" });
    return z.NEVER;
  }
  const domain = (address.split("@")[1] ?? "").toLowerCase();
  return { value, address, domain };
});

const schema = z
  .object({
    removalPolicy: z
      .enum(["destroy", "retain"], {
        error: "destroy or retain (CloudFormation cannot snapshot a DynamoDB table)",
      })
      .default("retain"),
    publicUrl: httpUrl.optional(),
    siteUrl: httpUrl.optional(),
    languages: languageList.default(["en", "ka", "hy", "az", "be", "ro", "ru", "uk"]),
    defaultLanguage: z.string().default("en"),
    throttleRate: z.coerce.number().int().positive().default(50),
    throttleBurst: z.coerce.number().int().positive().default(100),
    /**
     * Concurrent executions reserved for (and capping) the internet-facing public API, so a flood
     * of public requests cannot take the concurrency the deliverer and editors' API need.
     */
    publicApiConcurrency: z.coerce.number().int().min(1).default(20),
    alarmEmail: z.email().optional(),
    /** Who may edit and publish (each publication mails every subscriber); none when empty. */
    editors: principalList.default([]),
    /** Who may erase a person (npm run erase); none when empty. */
    privacyOperators: principalList.default([]),
    senderAddress,
    postalAddress: requiredText(
      "the sender's postal line every mail carries (anti-spam law), e.g. -c postalAddress='1 Main St, Tbilisi'",
    ),
    organisationName: z.string().trim().min(1).optional(),
    feedTitle: textByLanguage.optional(),
    feedDescription: textByLanguage.optional(),
    /** The newest N events per feed; all when unset (a render holds every feed in memory). */
    feedMaxItems: z.coerce.number().int().positive().optional(),
    subscribeRequestsPerHour: z.coerce.number().int().positive().optional(),
    /**
     * Queue messages (planned batches of at most 50 recipients) per deliverer invocation; Lambda
     * allows 10 without a batching window. The deliverer sends them one after the other, reading
     * the next while the current one is with SES, so more per invocation hides the reads.
     */
    deliveryBatchSize: z.coerce.number().int().min(1).max(10).default(10),
    /** Minutes after the last material change of a burst of edits before its notice goes out. */
    noticeDelayMinutes: z.coerce.number().int().min(0).max(1440).optional(),
    /** Hours before a timed event's start that its reminder goes out. */
    reminderLeadHours: z.coerce.number().int().min(1).max(336).optional(),
    /** Deliverers running at once; SQS event sources accept 2 to 1000. */
    deliveryMaxConcurrency: z.coerce.number().int().min(2).max(1000).default(2),
  })
  .superRefine((value, ctx) => {
    if (!value.languages.includes(value.defaultLanguage)) {
      ctx.addIssue({ code: "custom", path: ["defaultLanguage"], message: "must be one of languages" });
      return;
    }
    for (const key of ["feedTitle", "feedDescription"] as const) {
      if (value[key] === undefined) continue;
      const read = readTextByLanguage(value[key], value.languages, value.defaultLanguage);
      if ("problem" in read) {
        ctx.addIssue({ code: "custom", path: [key, ...read.path], message: read.problem });
      }
    }
  });

export type Settings = Omit<z.output<typeof schema>, "removalPolicy"> & { removalPolicy: RemovalPolicy };

export const readSettings = (scope: IConstruct): Settings => {
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, scope.node.tryGetContext(key)]),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid CDK context: ${problems.join("; ")}`);
  }
  return { ...result.data, removalPolicy: removalPolicies[result.data.removalPolicy] };
};
