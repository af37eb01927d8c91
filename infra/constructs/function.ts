import path from "node:path";
import { type Acknowledgment, Duration, Stack, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Bucket, CfnBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

const functionsDir = path.join(import.meta.dirname, "..", "..", "functions");

/** ESM bundles still contain CommonJS dependencies that call `require`; give them one. */
const requireShim =
  "import { createRequire as __eventcastCreateRequire } from 'node:module'; const require = __eventcastCreateRequire(import.meta.url);";

/** DynamoDB item actions a function may be granted; never Scan, never stream reads (event sources grant those). */
export type ItemAction = "GetItem" | "BatchGetItem" | "Query" | "PutItem" | "UpdateItem" | "DeleteItem";

/** What a function may do to one table, as narrowly as its code needs. */
export interface TableGrant {
  /** Actions on the table's items. */
  readonly actions: readonly ItemAction[];
  /** Item families (partition-key prefixes) the actions are limited to, by dynamodb:LeadingKeys; all when absent. */
  readonly families?: readonly string[];
  /** Indexes the function may Query. */
  readonly indexes?: readonly string[];
}

/** The two tables and the variable each is named in (shared/config.ts). */
export const TABLE_VARIABLES = { events: "TABLE_NAME", subscribers: "SUBSCRIBERS_TABLE" } as const;
/** "none" still sets FEED_BUCKET: shared/config.ts requires it in every function. */
/** `publish`: put and delete objects, read their ETags (HeadObject), list the sitemap's parts and, in a rebuild, the bucket. */
export type BucketAccess = "none" | "publish";

export interface EventcastFunctionProps {
  /** File name under functions/, without extension; it must export `handler`. */
  readonly entryName: string;
  readonly description: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Caps (and reserves) the function's concurrency; unset, it shares the account's pool. */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Every Lambda of eventcast: Node.js 24 on arm64, a minified ESM bundle with the AWS SDK inside
 * (built by the local esbuild, no Docker), source maps, and its own log group with retention.
 */
export class EventcastFunction extends NodejsFunction {
  private readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: EventcastFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    // Our own role instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.entryName}: writes its own log group, plus what bind* grants`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: path.join(functionsDir, `${props.entryName}.ts`),
      handler: "handler",
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: "eventcast",
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        format: OutputFormat.ESM,
        target: "node24",
        mainFields: ["module", "main"],
        banner: requireShim,
        minify: true,
        sourceMap: true,
        // Maps without the sources: a third of the size, and about 15 ms less to load at cold start.
        sourcesContent: false,
        // Bundled SDK clients cold-start faster than the runtime's copy and pin the version we test.
        // Nothing else ships beside the bundle: no package reads its own files (VTIMEZONEs come from Intl).
        externalModules: [],
      },
    });
    this.executionRole = role;
  }

  /** Records why a cdk-nag finding on this function's permissions is accepted. */
  acknowledgePermissions(...acknowledgments: Acknowledgment[]): this {
    Validations.of(this.executionRole).acknowledge(...acknowledgments);
    return this;
  }

  /**
   * Grants exactly `grant` on a table and sets its variable in one call, so the two cannot drift
   * apart. Item actions go to the table itself (limited to `families` when given); queries of
   * indexes go to the named indexes only.
   */
  bindTable(
    table: Table,
    role: keyof typeof TABLE_VARIABLES,
    grants: TableGrant | readonly TableGrant[],
  ): this {
    this.addEnvironment(TABLE_VARIABLES[role], table.tableName);
    for (const grant of [grants].flat() as TableGrant[]) this.grantOnTable(table, grant);
    return this;
  }

  private grantOnTable(table: Table, grant: TableGrant): void {
    if (grant.actions.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: grant.actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
          ...(grant.families
            ? {
                conditions: {
                  "ForAllValues:StringLike": {
                    "dynamodb:LeadingKeys": grant.families.map((family) => `${family}*`),
                  },
                },
              }
            : {}),
        }),
      );
    }
    if (grant.indexes && grant.indexes.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ["dynamodb:Query"],
          resources: grant.indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
  }

  /** Grants the access and sets FEED_BUCKET in one call. */
  bindFeedBucket(bucket: Bucket, access: BucketAccess): this {
    this.addEnvironment("FEED_BUCKET", bucket.bucketName);
    if (access === "none") return this;
    bucket.grantPut(this);
    // HeadObject (s3:GetObject) compares a file's ETag before writing; pages of a dropped translation are deleted.
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:DeleteObject"],
        resources: [bucket.arnForObjects("*")],
      }),
    );
    // The sitemap index lists its parts, a rebuild the whole bucket to delete what it did not render
    // (and HeadObject of a missing key answers 404, not 403, with it). DeleteObjects needs s3:DeleteObject.
    this.addToRolePolicy(new PolicyStatement({ actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }));
    return this.acknowledgePermissions(
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
        reason:
          "Feed keys are chosen at run time (per language and format); the wildcard spans this bucket only.",
      },
      {
        id: "AwsSolutions-IAM5[Action::s3:Abort*]",
        reason: "Part of grantPut: lets the SDK abort its own failed multipart uploads to this bucket.",
      },
    );
  }

  /**
   * Grants GetSecretValue on the keyring that signs subscribers' links and sets LINK_KEYS_ARN; the
   * function reads it at cold start, so no key ever appears in the environment.
   */
  bindLinkKeys(secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment("LINK_KEYS_ARN", secret.secretArn);
    return this;
  }

  /** Grants GetSecretValue on the key of subscriber ids and IP hashes and sets PSEUDONYM_KEY_ARN. */
  bindPseudonymKey(secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment("PSEUDONYM_KEY_ARN", secret.secretArn);
    return this;
  }

  /** Grants GetSecretValue on the value CloudFront adds to API requests and sets ORIGIN_SECRET_ARN. */
  bindOriginSecret(secret: ISecret): this {
    secret.grantRead(this);
    this.addEnvironment("ORIGIN_SECRET_ARN", secret.secretArn);
    return this;
  }

  /** Grants sqs:SendMessage on the delivery queue and sets DELIVERY_QUEUE_URL. */
  bindDeliveryQueue(queue: IQueue): this {
    queue.grantSendMessages(this);
    this.addEnvironment("DELIVERY_QUEUE_URL", queue.queueUrl);
    return this;
  }

  /** Sets several environment variables; undefined values are left out. */
  addEnvironmentVariables(variables: Record<string, string | undefined>): this {
    for (const [name, value] of Object.entries(variables)) {
      if (value !== undefined) this.addEnvironment(name, value);
    }
    return this;
  }
}

/** The logical id cdk-nag uses in its findings, as in `<DataFeedBucket….Arn>`. */
const logicalId = (resource: CfnBucket): string => Stack.of(resource).getLogicalId(resource);
