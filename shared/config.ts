import { z } from "zod";

/**
 * The one place that reads the environment. Every function and the local runtime call
 * `loadConfig()`; a missing or malformed variable fails at cold start with its name.
 */
const csv = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  );

const url = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL")
  .transform((value) => value.replace(/\/+$/, ""));

const schema = z
  .object({
    TABLE_NAME: z.string().min(3),
    FEED_BUCKET: z.string().min(3),
    PUBLIC_URL: url,
    SITE_URL: url.optional(),
    LANGUAGES: csv.default(["en", "ka", "hy", "az", "be", "ro", "ru", "uk"]),
    DEFAULT_LANGUAGE: z.string().default("en"),
    FEED_TITLE: z.string().default("Events"),
    FEED_DESCRIPTION: z.string().default("Upcoming and past events"),
    /** Local runs only: the bearer token editors use. Deployed, the API uses IAM auth instead. */
    ADMIN_TOKEN: z.string().min(16).optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.LANGUAGES.includes(value.DEFAULT_LANGUAGE)) {
      ctx.addIssue({ code: "custom", path: ["DEFAULT_LANGUAGE"], message: "must be one of LANGUAGES" });
    }
  });

export interface Config {
  tableName: string;
  feedBucket: string;
  /** Base of every link the system writes (feeds, API, mail). */
  publicUrl: string;
  /** Base of the event pages on the organisation's site. */
  siteUrl: string;
  languages: string[];
  defaultLanguage: string;
  feedTitle: string;
  feedDescription: string;
  adminToken?: string;
}

export const parseConfig = (env: Record<string, string | undefined>): Config => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  const env_ = result.data;
  return {
    tableName: env_.TABLE_NAME,
    feedBucket: env_.FEED_BUCKET,
    publicUrl: env_.PUBLIC_URL,
    siteUrl: env_.SITE_URL ?? env_.PUBLIC_URL,
    languages: env_.LANGUAGES,
    defaultLanguage: env_.DEFAULT_LANGUAGE,
    feedTitle: env_.FEED_TITLE,
    feedDescription: env_.FEED_DESCRIPTION,
    adminToken: env_.ADMIN_TOKEN,
  };
};

let cached: Config | undefined;

/** The process's configuration, parsed once. */
export const loadConfig = (): Config => {
  cached ??= parseConfig(process.env);
  return cached;
};
