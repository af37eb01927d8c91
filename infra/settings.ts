import { RemovalPolicy } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { z } from "zod";

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
  .transform((value) => value.replace(/\/+$/, ""));

const removalPolicies = { destroy: RemovalPolicy.DESTROY, retain: RemovalPolicy.RETAIN } as const;

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
    alarmEmail: z.email().optional(),
  })
  .refine((value) => value.languages.includes(value.defaultLanguage), {
    path: ["defaultLanguage"],
    message: "must be one of languages",
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
