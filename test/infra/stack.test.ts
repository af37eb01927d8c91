import { readFileSync } from "node:fs";
import path from "node:path";
import { App, CfnElement } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Queue } from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { ADMIN_ROUTE_PATHS, PUBLIC_ROUTE_PATHS } from "../../infra/constructs/api";
import { DIRECTORY_INDEX_FUNCTION } from "../../infra/constructs/feeds";
import { defineApp, type EventcastStack } from "../../infra/stack";
import { directoryRedirectFor, staticKeyFor } from "../../local/static-paths";
import {
  EVENTS_TABLE,
  SUBSCRIBERS_TABLE,
  type TableSpec,
  TTL_ATTRIBUTE,
} from "../../shared/adapters/dynamodb/table-schema";
import { ANNOUNCER_FILTERS, FEED_PUBLISHER_FILTERS } from "../../shared/pipeline/stream-filters";
import { PAGE_CONTENT_SECURITY_POLICY } from "../../shared/render/pages/page-shell";

type Violation = { ruleName: string; violatingConstructs: { constructPath: string }[] };
type ValidationReport = { pluginReports: { pluginName: string; violations: Violation[] }[] };

/** The context values ops must pass; a test drops one by setting it to undefined. */
const requiredContext = {
  senderAddress: "EU4Digital events <events@example.org>",
  postalAddress: "1 Main Street, 0108 Tbilisi, Georgia",
};

/**
 * Synthesizes the app the way `cdk synth` does, minus bundling (slow, and not what these tests
 * are about). Validation failures are written to the report instead of thrown, so the cdk-nag
 * test can show which findings are left.
 */
const synthesize = (context: Record<string, unknown> = {}, extend?: (stack: EventcastStack) => void) => {
  const app = new App({
    context: {
      "aws:cdk:bundling-stacks": [],
      "@aws-cdk/core:failSynthOnValidationErrors": false,
      ...requiredContext,
      ...context,
    },
  });
  const stack = defineApp(app);
  extend?.(stack);
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template;
  // The cycle check gets a test of its own below.
  const template = Template.fromJSON(json, { skipCyclicalDependenciesCheck: true });
  const report: ValidationReport = JSON.parse(
    readFileSync(path.join(assembly.directory, "validation-report.json"), "utf8"),
  );
  const logicalId = (construct: IConstruct): string => {
    const element = construct.node.defaultChild ?? construct;
    if (!CfnElement.isCfnElement(element))
      throw new Error(`${construct.node.path} has no CloudFormation element`);
    return stack.getLogicalId(element);
  };
  return { stack, json, template, report, logicalId };
};

const unacknowledgedFindings = (report: ValidationReport, pluginName = "AwsSolutions"): string[] =>
  report.pluginReports
    .filter((plugin) => plugin.pluginName === pluginName)
    .flatMap((plugin) => plugin.violations)
    .flatMap((violation) =>
      violation.violatingConstructs.map((c) => `${violation.ruleName} at ${c.constructPath}`),
    );

/** The Properties of every resource of a type, by logical id. */
const propertiesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)).map(([id, resource]) => [id, resource.Properties] as const);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every statement in the IAM policies attached to a function's execution role. */
const statementsGrantedTo = (template: Template, functionId: string): Statement[] => {
  const roleId = template.toJSON().Resources[functionId].Properties.Role["Fn::GetAtt"][0];
  return propertiesOf(template, "AWS::IAM::Policy")
    .filter(([, policy]) => policy.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.PolicyDocument.Statement);
};

/** Every action in the IAM policies attached to a function's execution role. */
const actionsGrantedTo = (template: Template, functionId: string): string[] =>
  statementsGrantedTo(template, functionId).flatMap((statement) => [statement.Action].flat());

const { stack, json, template, report, logicalId } = synthesize();
const functions = [
  stack.api.adminFunction,
  stack.api.publicFunction,
  stack.pipeline.feedPublisher,
  stack.announcements.announcer,
  stack.announcements.deliverer,
  stack.announcements.sweeper,
  stack.mail.feedback,
  stack.subscriptionMail.mailer,
];
/** The synthesized Properties of one of our constructs. */
const propertiesOfConstruct = (construct: IConstruct) => json.Resources[logicalId(construct)].Properties;

describe("the Eventcast stack", () => {
  describe("functions", () => {
    it("runs every function on Node.js 24 on arm64", () => {
      const all = propertiesOf(template, "AWS::Lambda::Function");
      expect(all).toHaveLength(functions.length);
      for (const [, fn] of all) {
        expect(fn).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"] });
      }
    });

    it("gives every function the configuration shared/config.ts reads, with the distribution as PUBLIC_URL", () => {
      for (const fn of functions) {
        const variables = propertiesOfConstruct(fn).Environment.Variables;
        expect(variables).toMatchObject({
          TABLE_NAME: { Ref: logicalId(stack.data.table) },
          FEED_BUCKET: { Ref: logicalId(stack.data.feedBucket) },
          PUBLIC_URL: {
            "Fn::Join": [
              "",
              ["https://", { "Fn::GetAtt": [logicalId(stack.feeds.distribution), "DomainName"] }],
            ],
          },
          LANGUAGES: "en,ka,hy,az,be,ro,ru,uk",
          DEFAULT_LANGUAGE: "en",
          POWERTOOLS_SERVICE_NAME: "eventcast",
          SENDER_ADDRESS: requiredContext.senderAddress,
          POSTAL_ADDRESS: requiredContext.postalAddress,
          SES_CONFIGURATION_SET: { Ref: logicalId(stack.mail.configurationSet) },
          DELIVERY_QUEUE_URL: { Ref: logicalId(stack.announcements.deliveryQueue) },
        });
        // Unset, shared/config.ts applies its own defaults.
        for (const name of ["SITE_URL", "ORGANISATION_NAME", "SUBSCRIBE_REQUESTS_PER_HOUR"]) {
          expect(variables).not.toHaveProperty(name);
        }
      }
    });

    it("writes every function's logs to its own log group with a retention period", () => {
      const logGroups = Object.fromEntries(propertiesOf(template, "AWS::Logs::LogGroup"));
      for (const fn of functions) {
        const logGroupId = propertiesOfConstruct(fn).LoggingConfig.LogGroup.Ref;
        expect(logGroups[logGroupId]?.RetentionInDays).toBe(30);
      }
      for (const logGroup of Object.values(logGroups)) {
        expect(logGroup.RetentionInDays).toBeGreaterThan(0);
      }
    });

    it("lets only the feed publisher write to the bucket", () => {
      const s3Writes = /^s3:(PutObject|DeleteObject)/;
      for (const fn of functions) {
        const writes = actionsGrantedTo(template, logicalId(fn)).filter((action) => s3Writes.test(action));
        if (fn === stack.pipeline.feedPublisher)
          expect(writes).toEqual(expect.arrayContaining(["s3:PutObject", "s3:DeleteObject"]));
        else expect(writes).toEqual([]);
      }
    });

    it("lets only the feed publisher list the bucket and delete from it, which a rebuild's clean-up needs", () => {
      const bucket = { "Fn::GetAtt": [logicalId(stack.data.feedBucket), "Arn"] };
      const objects = { "Fn::Join": ["", [bucket, "/*"]] };
      const grants = (fn: IConstruct, action: string) =>
        statementsGrantedTo(template, logicalId(fn))
          .filter((statement) => [statement.Action].flat().includes(action))
          .flatMap((statement) => [statement.Resource].flat());
      for (const fn of functions) {
        if (fn === stack.pipeline.feedPublisher) {
          expect(grants(fn, "s3:ListBucket")).toEqual([bucket]);
          expect(grants(fn, "s3:DeleteObject")).toEqual([objects]);
        } else {
          expect(grants(fn, "s3:ListBucket")).toEqual([]);
          expect(grants(fn, "s3:DeleteObject")).toEqual([]);
        }
      }
    });

    /** The DynamoDB statements of a function on one table (its items, or its indexes). */
    const tableStatements = (fn: IConstruct, table: IConstruct, part: "items" | "indexes") => {
      const arn = { "Fn::GetAtt": [logicalId(table), "Arn"] };
      return statementsGrantedTo(template, logicalId(fn)).filter((statement) => {
        const resources = [statement.Resource].flat().map((resource) => JSON.stringify(resource));
        return part === "items"
          ? resources.includes(JSON.stringify(arn))
          : resources.some(
              (resource) => resource.includes(JSON.stringify(arn)) && resource.includes("/index/"),
            );
      });
    };
    const leadingKeys = (statement: Statement) =>
      (
        statement.Condition as
          | { "ForAllValues:StringLike"?: { "dynamodb:LeadingKeys"?: string[] } }
          | undefined
      )?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
    const dynamoWrites = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/;
    const dynamoReads = /^dynamodb:(GetItem|BatchGetItem|Query|Scan)$/;

    it("never lets a function Scan, write in batches, or read a stream it is not fed", () => {
      const streamReaders = [stack.pipeline.feedPublisher, stack.announcements.announcer];
      for (const fn of functions) {
        const actions = actionsGrantedTo(template, logicalId(fn)).filter((action) =>
          action.startsWith("dynamodb:"),
        );
        expect(actions).not.toContain("dynamodb:Scan");
        expect(actions).not.toContain("dynamodb:BatchWriteItem");
        expect(actions.includes("dynamodb:GetRecords")).toBe(streamReaders.includes(fn));
      }
    });

    it("keeps the public API, which anyone can call, from writing events or announcements", () => {
      const onEvents = tableStatements(stack.api.publicFunction, stack.data.table, "items");
      expect(onEvents.flatMap((statement) => [statement.Action].flat())).toEqual([
        "dynamodb:GetItem",
        "dynamodb:Query",
      ]);
      // On the subscribers table it writes only subscribers and request counters.
      for (const statement of tableStatements(
        stack.api.publicFunction,
        stack.data.subscribersTable,
        "items",
      )) {
        expect(leadingKeys(statement)).toEqual(["SUBSCRIBER#*", "RATE#*"]);
      }
      expect(tableStatements(stack.api.publicFunction, stack.data.subscribersTable, "indexes")).toEqual([]);
    });

    it("keeps the feed publisher and the editors' API from reading any subscriber's address", () => {
      const publisher = stack.pipeline.feedPublisher;
      expect(tableStatements(publisher, stack.data.subscribersTable, "items")).toEqual([]);
      expect(tableStatements(publisher, stack.data.subscribersTable, "indexes")).toEqual([]);
      expect(
        tableStatements(publisher, stack.data.table, "items").flatMap((statement) =>
          [statement.Action].flat(),
        ),
      ).not.toContainEqual(expect.stringMatching(dynamoWrites));

      const admin = stack.api.adminFunction;
      expect(tableStatements(admin, stack.data.subscribersTable, "indexes")).toEqual([]);
      for (const statement of tableStatements(admin, stack.data.subscribersTable, "items")) {
        const actions = [statement.Action].flat();
        // Reads reach deliveries (ids) only; subscribers may be deleted (erase), never read.
        if (actions.some((action) => dynamoReads.test(action)))
          expect(leadingKeys(statement)).toEqual(["DELIVERY#*"]);
        else expect(actions).toEqual(["dynamodb:DeleteItem"]);
      }
    });

    it("lets only the announcer query the audience index, and gives the feedback function no access to events", () => {
      const audienceIndex = SUBSCRIBERS_TABLE.indexes[0].indexName;
      for (const fn of functions) {
        const queriesAudience = tableStatements(fn, stack.data.subscribersTable, "indexes").some(
          (statement) => JSON.stringify(statement.Resource).includes(`/index/${audienceIndex}`),
        );
        expect(queriesAudience).toBe(fn === stack.announcements.announcer);
      }
      expect(tableStatements(stack.mail.feedback, stack.data.table, "items")).toEqual([]);
      for (const statement of tableStatements(stack.mail.feedback, stack.data.subscribersTable, "items")) {
        expect(leadingKeys(statement)).toEqual(["SUBSCRIBER#*"]);
      }
    });

    it("names the subscribers table only to the functions granted access to it", () => {
      const granted = [
        stack.api.adminFunction,
        stack.api.publicFunction,
        stack.announcements.announcer,
        stack.announcements.deliverer,
        stack.mail.feedback,
        stack.subscriptionMail.mailer,
      ];
      for (const fn of functions) {
        const variables = propertiesOfConstruct(fn).Environment.Variables;
        if (granted.includes(fn)) {
          expect(variables.SUBSCRIBERS_TABLE).toEqual({ Ref: logicalId(stack.data.subscribersTable) });
        } else expect(variables).not.toHaveProperty("SUBSCRIBERS_TABLE");
      }
    });

    /** The secrets a function may read, as the logical ids of their resources. */
    const secretsReadBy = (fn: IConstruct) =>
      statementsGrantedTo(template, logicalId(fn))
        .filter((statement) => [statement.Action].flat().includes("secretsmanager:GetSecretValue"))
        .map((statement) => (statement.Resource as { Ref: string }).Ref)
        .sort();

    it("lets the subscription mailer send single mails and the deliverer bulk mail; they and the public API read the link keys", () => {
      const mailers = [stack.subscriptionMail.mailer, stack.announcements.deliverer];
      const signers = [...mailers, stack.api.publicFunction];
      for (const fn of functions) {
        const actions = actionsGrantedTo(template, logicalId(fn)).filter((action) =>
          action.startsWith("ses:"),
        );
        const readsLinkKeys = secretsReadBy(fn).includes(logicalId(stack.data.linkKeys));
        expect({ fn: fn.node.path, actions, readsLinkKeys }).toEqual({
          fn: fn.node.path,
          actions:
            fn === stack.subscriptionMail.mailer
              ? ["ses:SendEmail"]
              : fn === stack.announcements.deliverer
                ? ["ses:SendBulkEmail"]
                : [],
          readsLinkKeys: signers.includes(fn),
        });
      }
    });

    it("queues subscription requests from the public API to the subscription mailer, with a dead-letter queue", () => {
      const queueArn = { "Fn::GetAtt": [logicalId(stack.subscriptionMail.queue), "Arn"] };
      const sends = (fn: IConstruct) =>
        statementsGrantedTo(template, logicalId(fn)).some(
          (statement) =>
            JSON.stringify(statement.Resource) === JSON.stringify(queueArn) &&
            [statement.Action].flat().includes("sqs:SendMessage"),
        );
      for (const fn of functions) expect(sends(fn)).toBe(fn === stack.api.publicFunction);
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        EventSourceArn: queueArn,
        FunctionName: { Ref: logicalId(stack.subscriptionMail.mailer) },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      expect(propertiesOfConstruct(stack.subscriptionMail.queue).RedrivePolicy).toMatchObject({
        deadLetterTargetArn: { "Fn::GetAtt": [logicalId(stack.subscriptionMail.deadLetterQueue), "Arn"] },
        maxReceiveCount: 5,
      });
    });

    it("lets the announcer write planned batches and read the announcement's (a notice's audience), the deliverer claim and record them, nothing else of the ledger", () => {
      const onLedger = (fn: IConstruct) =>
        tableStatements(fn, stack.data.subscribersTable, "items").filter((statement) =>
          leadingKeys(statement)?.includes("DELIVERY#*"),
        );
      expect(
        onLedger(stack.announcements.announcer).flatMap((statement) => [statement.Action].flat()),
      ).toEqual(["dynamodb:PutItem", "dynamodb:Query"]);
      expect(
        onLedger(stack.announcements.deliverer).flatMap((statement) => [statement.Action].flat()),
      ).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
      for (const statement of [
        ...onLedger(stack.announcements.announcer),
        ...onLedger(stack.announcements.deliverer),
      ]) {
        expect(leadingKeys(statement)).toEqual(["DELIVERY#*"]);
      }
    });

    it("sweeps the due-time index every minute with a function that reads events alone and may not Scan", () => {
      template.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: "rate(1 minute)",
        Targets: [
          Match.objectLike({ Arn: { "Fn::GetAtt": [logicalId(stack.announcements.sweeper), "Arn"] } }),
        ],
      });
      const sweeper = stack.announcements.sweeper;
      expect(tableStatements(sweeper, stack.data.subscribersTable, "items")).toEqual([]);
      expect(tableStatements(sweeper, stack.data.subscribersTable, "indexes")).toEqual([]);
      const items = tableStatements(sweeper, stack.data.table, "items");
      expect(items.flatMap((statement) => [statement.Action].flat())).toEqual([
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
      ]);
      expect(leadingKeys(items[0] as Statement)).toEqual(["EVENT#*"]);
      const indexes = tableStatements(sweeper, stack.data.table, "indexes");
      expect(indexes.flatMap((statement) => [statement.Action].flat())).toEqual(["dynamodb:Query"]);
      expect(JSON.stringify(indexes.map((statement) => statement.Resource))).toContain("/index/gsi1");
      expect(JSON.stringify(indexes.map((statement) => statement.Resource))).not.toContain("/index/gsi2");
      expect(actionsGrantedTo(template, logicalId(sweeper))).not.toContain("dynamodb:Scan");
    });

    it("lets only the functions that turn an address into an id read the pseudonym key", () => {
      const needIds = [stack.api.publicFunction, stack.mail.feedback, stack.api.adminFunction];
      for (const fn of functions) {
        expect(secretsReadBy(fn).includes(logicalId(stack.data.pseudonymKey))).toBe(needIds.includes(fn));
      }
    });

    it("lets only the announcer and the editors' API (resume) put messages on the delivery queue, and only the deliverer consume them", () => {
      const queueArn = { "Fn::GetAtt": [logicalId(stack.announcements.deliveryQueue), "Arn"] };
      const grantsOnQueue = (fn: IConstruct) =>
        statementsGrantedTo(template, logicalId(fn))
          .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(queueArn))
          .flatMap((statement) => [statement.Action].flat());
      for (const fn of functions) {
        const actions = grantsOnQueue(fn);
        if (fn === stack.announcements.announcer || fn === stack.api.adminFunction) {
          expect(actions).toContain("sqs:SendMessage");
        } else expect(actions).not.toContain("sqs:SendMessage");
        if (fn === stack.announcements.deliverer) expect(actions).toContain("sqs:DeleteMessage");
        else expect(actions).not.toContain("sqs:ReceiveMessage");
      }
    });

    it("grants the sends only on the sender's identity and the configuration set (and templates for bulk), never on *", () => {
      const sesStatements = propertiesOf(template, "AWS::IAM::Policy")
        .flatMap(([, policy]) => policy.PolicyDocument.Statement as Statement[])
        .filter((statement) => [statement.Action].flat().some((action) => action.startsWith("ses:")));
      expect(sesStatements).toHaveLength(2);
      const arn = (suffix: unknown[]) => ({
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":ses:",
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            ...suffix,
          ],
        ],
      });
      const sending = [
        arn([":identity/example.org"]),
        arn([":identity/events@example.org"]),
        arn([":configuration-set/", { Ref: logicalId(stack.mail.configurationSet) }]),
      ];
      expect(sesStatements).toEqual(
        expect.arrayContaining([
          {
            Effect: "Allow",
            Action: "ses:SendEmail",
            Resource: sending,
            Condition: { StringEquals: { "ses:FromAddress": "events@example.org" } },
          },
          // SendBulkEmail takes no ses:FromAddress condition (only ses:ApiVersion): the identity pins the sender.
          { Effect: "Allow", Action: "ses:SendBulkEmail", Resource: [...sending, arn([":template/*"])] },
        ]),
      );
    });

    it("never puts a key itself into an environment, only the ARN of its secret", () => {
      for (const fn of functions) {
        const variables = propertiesOfConstruct(fn).Environment.Variables;
        expect(variables).not.toHaveProperty("LINK_KEYS");
        expect(variables).not.toHaveProperty("PSEUDONYM_KEY");
        if (variables.LINK_KEYS_ARN)
          expect(variables.LINK_KEYS_ARN).toEqual({ Ref: logicalId(stack.data.linkKeys) });
        if (variables.PSEUDONYM_KEY_ARN) {
          expect(variables.PSEUDONYM_KEY_ARN).toEqual({ Ref: logicalId(stack.data.pseudonymKey) });
        }
        // A dynamic reference would resolve the value into the function's configuration.
        expect(JSON.stringify(variables)).not.toMatch(/resolve:secretsmanager|SecretString/);
      }
    });

    it("generates the link keys as a keyring with one long random key, and the pseudonym key as a plain one, both kept", () => {
      const links = template.toJSON().Resources[logicalId(stack.data.linkKeys)];
      expect(links).toMatchObject({
        Properties: {
          GenerateSecretString: {
            SecretStringTemplate: JSON.stringify({ current: "k1" }),
            GenerateStringKey: "k1",
            PasswordLength: 64,
            ExcludePunctuation: true,
          },
        },
        DeletionPolicy: "Retain",
      });
      const pseudonyms = template.toJSON().Resources[logicalId(stack.data.pseudonymKey)];
      expect(pseudonyms).toMatchObject({
        Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
        DeletionPolicy: "Retain",
      });
      expect(pseudonyms.Properties.GenerateSecretString).not.toHaveProperty("SecretStringTemplate");
    });

    it("reserves concurrency for the internet-facing public API only, so a flood of it cannot starve the others", () => {
      for (const fn of functions) {
        const reserved = propertiesOfConstruct(fn).ReservedConcurrentExecutions;
        expect(reserved).toBe(fn === stack.api.publicFunction ? 20 : undefined);
      }
      const custom = synthesize({ publicApiConcurrency: "50" });
      expect(
        custom.template.toJSON().Resources[custom.logicalId(custom.stack.api.publicFunction)].Properties
          .ReservedConcurrentExecutions,
      ).toBe(50);
    });

    it("attaches no AWS managed policy to any execution role", () => {
      for (const [, role] of propertiesOf(template, "AWS::IAM::Role")) {
        expect(role.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe("tables", () => {
    const tableProperties = (table: IConstruct) => template.toJSON().Resources[logicalId(table)];
    const indexesOf = (spec: TableSpec) =>
      spec.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      }));
    const common = {
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    };

    it("keeps events in a table that streams new and old images, with point-in-time recovery, TTL, retained", () => {
      expect(tableProperties(stack.data.table)).toMatchObject({
        Properties: {
          ...common,
          StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
          GlobalSecondaryIndexes: indexesOf(EVENTS_TABLE),
        },
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
      });
    });

    it("keeps people in a table of their own, unstreamed, with the audience index, point-in-time recovery, TTL, retained", () => {
      const subscribers = tableProperties(stack.data.subscribersTable);
      expect(subscribers).toMatchObject({
        Properties: { ...common, GlobalSecondaryIndexes: indexesOf(SUBSCRIBERS_TABLE) },
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
      });
      expect(subscribers.Properties).not.toHaveProperty("StreamSpecification");
    });
  });

  describe("stream pipeline", () => {
    it("feeds the publisher only the filtered records, with capped retries, bisection and a failure queue", () => {
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        EventSourceArn: { "Fn::GetAtt": [logicalId(stack.data.table), "StreamArn"] },
        FunctionName: { Ref: logicalId(stack.pipeline.feedPublisher) },
        StartingPosition: "TRIM_HORIZON",
        FilterCriteria: {
          Filters: FEED_PUBLISHER_FILTERS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
        },
        MaximumRetryAttempts: 5,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        DestinationConfig: {
          OnFailure: { Destination: { "Fn::GetAtt": [logicalId(stack.pipeline.failureQueue), "Arn"] } },
        },
      });
    });

    it("keeps failed batches in an encrypted queue that refuses plain HTTP", () => {
      expect(propertiesOfConstruct(stack.pipeline.failureQueue)).toMatchObject({
        SqsManagedSseEnabled: true,
      });
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: logicalId(stack.pipeline.failureQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    });
  });

  describe("announcements", () => {
    const mappingOf = (fn: IConstruct) =>
      propertiesOf(template, "AWS::Lambda::EventSourceMapping")
        .map(([, mapping]) => mapping)
        .filter((mapping) => mapping.FunctionName.Ref === logicalId(fn));

    it("feeds the announcer first publications, changes of published events and requests to plan, with capped retries, bisection and its own failure queue", () => {
      expect(mappingOf(stack.announcements.announcer)).toEqual([
        expect.objectContaining({
          EventSourceArn: { "Fn::GetAtt": [logicalId(stack.data.table), "StreamArn"] },
          StartingPosition: "TRIM_HORIZON",
          FilterCriteria: {
            Filters: ANNOUNCER_FILTERS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
          },
          MaximumRetryAttempts: 5,
          BisectBatchOnFunctionError: true,
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          DestinationConfig: {
            OnFailure: {
              Destination: { "Fn::GetAtt": [logicalId(stack.announcements.announcerFailureQueue), "Arn"] },
            },
          },
        }),
      ]);
    });

    it("gives the announcer time to page through a large audience", () => {
      expect(propertiesOfConstruct(stack.announcements.announcer)).toMatchObject({
        Timeout: 300,
        MemorySize: 512,
      });
    });

    it("feeds the deliverer the delivery queue with partial batch failures and a maximum concurrency", () => {
      expect(mappingOf(stack.announcements.deliverer)).toEqual([
        expect.objectContaining({
          EventSourceArn: { "Fn::GetAtt": [logicalId(stack.announcements.deliveryQueue), "Arn"] },
          BatchSize: 10,
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          ScalingConfig: { MaximumConcurrency: 2 },
        }),
      ]);
    });

    it("hides a message for six deliverer timeouts and parks it in a dead-letter queue after five receives", () => {
      const delivererTimeout = propertiesOfConstruct(stack.announcements.deliverer).Timeout;
      const queue = propertiesOfConstruct(stack.announcements.deliveryQueue);
      expect(delivererTimeout).toBeGreaterThan(0);
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * delivererTimeout);
      expect(queue.RedrivePolicy).toEqual({
        deadLetterTargetArn: {
          "Fn::GetAtt": [logicalId(stack.announcements.deliveryDeadLetterQueue), "Arn"],
        },
        maxReceiveCount: expect.any(Number),
      });
      expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
      // A dead letter outlives the message it was: SQS keeps the original enqueue time.
      expect(propertiesOfConstruct(stack.announcements.deliveryDeadLetterQueue).MessageRetentionPeriod).toBe(
        14 * 24 * 3600,
      );
    });

    it("encrypts every queue and refuses plain HTTP on each", () => {
      const queues = propertiesOf(template, "AWS::SQS::Queue");
      expect(queues).toHaveLength(7);
      const policies = propertiesOf(template, "AWS::SQS::QueuePolicy").map(([, policy]) => policy);
      for (const [id, queue] of queues) {
        expect(queue.SqsManagedSseEnabled).toBe(true);
        const policy = policies.find((p) => p.Queues.some((q: { Ref: string }) => q.Ref === id));
        expect(policy?.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        );
      }
    });
  });

  describe("SES", () => {
    it("sends through a configuration set that publishes bounces and complaints to an SNS topic", () => {
      template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
        ConfigurationSetName: { Ref: logicalId(stack.mail.configurationSet) },
        EventDestination: Match.objectLike({
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(["bounce", "complaint"]),
          SnsDestination: { TopicARN: { Ref: logicalId(stack.mail.feedbackTopic) } },
        }),
      });
    });

    it("lets SES publish to the feedback topic for this configuration set only", () => {
      template.hasResourceProperties("AWS::SNS::TopicPolicy", {
        Topics: [{ Ref: logicalId(stack.mail.feedbackTopic) }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Allow",
              Action: "sns:Publish",
              Principal: { Service: "ses.amazonaws.com" },
              Condition: {
                StringEquals: Match.objectLike({
                  "AWS:SourceArn": {
                    "Fn::Join": ["", Match.arrayWith([{ Ref: logicalId(stack.mail.configurationSet) }])],
                  },
                }),
              },
            }),
          ]),
        }),
      });
    });

    it("subscribes the feedback function to that topic, and parks events it fails on in a queue", () => {
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "lambda",
        TopicArn: { Ref: logicalId(stack.mail.feedbackTopic) },
        Endpoint: { "Fn::GetAtt": [logicalId(stack.mail.feedback), "Arn"] },
      });
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: { Ref: logicalId(stack.mail.feedback) },
        DestinationConfig: {
          OnFailure: { Destination: { "Fn::GetAtt": [logicalId(stack.mail.feedbackFailureQueue), "Arn"] } },
        },
      });
    });
  });

  describe("HTTP API", () => {
    const routes = propertiesOf(template, "AWS::ApiGatewayV2::Route").map(([, route]) => route);
    const routeKey = (path: string) => `ANY ${path}`;

    it("requires IAM (SigV4) on every admin route", () => {
      for (const path of ADMIN_ROUTE_PATHS) {
        expect(routes).toContainEqual(
          expect.objectContaining({ RouteKey: routeKey(path), AuthorizationType: "AWS_IAM" }),
        );
      }
    });

    it("has no route that is neither IAM-authorized nor one of the public routes", () => {
      const publicKeys = PUBLIC_ROUTE_PATHS.map(routeKey);
      const open = routes.filter((route) => route.AuthorizationType !== "AWS_IAM");
      expect(open.map((route) => route.RouteKey).sort()).toEqual([...publicKeys].sort());
      expect(routes).toHaveLength(ADMIN_ROUTE_PATHS.length + PUBLIC_ROUTE_PATHS.length);
    });

    it("sends admin routes to the admin function and public routes to the public function (payload 2.0)", () => {
      const integrations = Object.fromEntries(propertiesOf(template, "AWS::ApiGatewayV2::Integration"));
      const functionBehind = (route: { Target: { "Fn::Join": [string, [string, { Ref: string }]] } }) => {
        const integration = integrations[route.Target["Fn::Join"][1][1].Ref];
        expect(integration.PayloadFormatVersion).toBe("2.0");
        return integration.IntegrationUri["Fn::GetAtt"][0];
      };
      const byKey = Object.fromEntries(routes.map((route) => [route.RouteKey, functionBehind(route)]));
      for (const path of ADMIN_ROUTE_PATHS)
        expect(byKey[routeKey(path)]).toBe(logicalId(stack.api.adminFunction));
      for (const path of PUBLIC_ROUTE_PATHS)
        expect(byKey[routeKey(path)]).toBe(logicalId(stack.api.publicFunction));
    });

    it("lets in only the editors and privacy operators listed at deploy time; none when the lists are empty", () => {
      const adminVariables = (built: ReturnType<typeof synthesize>) =>
        built.template.toJSON().Resources[built.logicalId(built.stack.api.adminFunction)].Properties
          .Environment.Variables;
      expect(propertiesOfConstruct(stack.api.adminFunction).Environment.Variables).not.toHaveProperty(
        "EDITORS",
      );
      const editor = "arn:aws:iam::123456789012:role/EventEditor";
      const operator = "arn:aws:iam::123456789012:user/dpo";
      const listed = synthesize({
        editors: `${editor}, arn:aws:iam::123456789012:user/nino`,
        privacyOperators: operator,
      });
      expect(adminVariables(listed)).toMatchObject({
        EDITORS: `${editor},arn:aws:iam::123456789012:user/nino`,
        PRIVACY_OPERATORS: operator,
      });
      for (const fn of [listed.stack.api.publicFunction, listed.stack.announcements.deliverer]) {
        expect(
          listed.template.toJSON().Resources[listed.logicalId(fn)].Properties.Environment.Variables,
        ).not.toHaveProperty("EDITORS");
      }
      expect(() => synthesize({ editors: "PowerUser" })).toThrow(/editors/);
    });

    it("offers managed policies that reach the editors' routes, and the erasure route, and nothing else", () => {
      const resourcesOf = (policy: IConstruct) =>
        JSON.stringify(template.toJSON().Resources[logicalId(policy)].Properties.PolicyDocument.Statement);
      const editing = resourcesOf(stack.api.editorPolicy);
      expect(editing).toContain("execute-api:Invoke");
      expect(editing).toContain("/$default/*/api/admin/events/*");
      expect(editing).toContain("/$default/*/api/admin/series");
      expect(editing).not.toContain("erasures");
      const erasing = resourcesOf(stack.api.privacyOperatorPolicy);
      expect(erasing).toContain("/$default/*/api/admin/erasures");
      expect(erasing).not.toContain("events");
      template.hasOutput("EditorPolicyArn", { Value: { Ref: logicalId(stack.api.editorPolicy) } });
      template.hasOutput("PrivacyOperatorPolicyArn", {
        Value: { Ref: logicalId(stack.api.privacyOperatorPolicy) },
      });
    });

    it("throttles the stage and writes access logs", () => {
      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: {
          DestinationArn: { "Fn::GetAtt": [Match.anyValue(), "Arn"] },
          Format: Match.anyValue(),
        },
      });
    });
  });

  describe("feeds behind CloudFront", () => {
    it("keeps the feed bucket private, encrypted and HTTPS-only", () => {
      expect(propertiesOfConstruct(stack.data.feedBucket)).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.data.accessLogBucket) } },
      });
      const policy = propertiesOf(template, "AWS::S3::BucketPolicy")
        .map(([, properties]) => properties)
        .find((properties) => properties.Bucket.Ref === logicalId(stack.data.feedBucket));
      const statements = policy?.PolicyDocument.Statement ?? [];
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
      const allowed = statements.filter((statement: { Effect: string }) => statement.Effect === "Allow");
      expect(allowed.map((statement: { Principal: unknown }) => statement.Principal)).toEqual([
        { Service: "cloudfront.amazonaws.com" },
      ]);
    });

    it("reads the bucket through Origin Access Control and caches feeds briefly", () => {
      template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: "s3",
          SigningBehavior: "always",
        }),
      });
      template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({
          Origins: Match.arrayWith([
            Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() }),
          ]),
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: "redirect-to-https",
            AllowedMethods: ["GET", "HEAD"],
            ResponseHeadersPolicyId: Match.anyValue(),
          }),
        }),
      });
      template.hasResourceProperties("AWS::CloudFront::CachePolicy", {
        // Up to a day: only finished feed archives ask for that much; live files say a minute or less.
        CachePolicyConfig: Match.objectLike({ DefaultTTL: 60, MaxTTL: 86_400 }),
      });
    });

    it("passes /api/* uncached to the HTTP API with every method, the viewer's address and the origin secret, never the Host", () => {
      const cachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
      const [[policyId, policy]] = propertiesOf(template, "AWS::CloudFront::OriginRequestPolicy") as [
        [string, { OriginRequestPolicyConfig: Record<string, unknown> }],
      ];
      expect(policy.OriginRequestPolicyConfig).toMatchObject({
        HeadersConfig: {
          HeaderBehavior: "whitelist",
          Headers: ["Content-Type", "cloudfront-viewer-address"],
        },
        QueryStringsConfig: { QueryStringBehavior: "all" },
        CookiesConfig: { CookieBehavior: "none" },
      });
      template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: [
            Match.objectLike({
              PathPattern: "/api/*",
              CachePolicyId: cachingDisabled,
              OriginRequestPolicyId: { Ref: policyId },
              AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
            }),
          ],
          Origins: Match.arrayWith([
            Match.objectLike({
              OriginCustomHeaders: [
                {
                  HeaderName: "x-origin-verify",
                  HeaderValue: {
                    "Fn::Join": [
                      "",
                      [
                        "{{resolve:secretsmanager:",
                        { Ref: logicalId(stack.data.originSecret) },
                        ":SecretString:::}}",
                      ],
                    ],
                  },
                },
              ],
              DomainName: {
                "Fn::Join": [
                  "",
                  [
                    { Ref: logicalId(stack.api.httpApi) },
                    ".execute-api.",
                    { Ref: "AWS::Region" },
                    ".",
                    Match.anyValue(),
                  ],
                ],
              },
            }),
          ]),
        }),
      });
    });

    it("keeps no CloudFront access log, which would record the tokens of manage and unsubscribe links", () => {
      const distribution = propertiesOf(template, "AWS::CloudFront::Distribution")[0]?.[1];
      expect(distribution.DistributionConfig).not.toHaveProperty("Logging");
      // The API's own access log names the route, never the query string.
      const stage = propertiesOf(template, "AWS::ApiGatewayV2::Stage")[0]?.[1];
      expect(stage.AccessLogSettings.Format).not.toMatch(/rawQueryString|path\b|\$context\.path/);
    });

    it("lets the public API read the origin secret, and no other function", () => {
      for (const fn of functions) {
        const variables = propertiesOfConstruct(fn).Environment.Variables;
        if (fn === stack.api.publicFunction) {
          expect(variables.ORIGIN_SECRET_ARN).toEqual({ Ref: logicalId(stack.data.originSecret) });
        } else expect(variables).not.toHaveProperty("ORIGIN_SECRET_ARN");
      }
    });

    it("sends security headers with every answer", () => {
      template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: Match.objectLike({ Override: true }),
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: "DENY", Override: true },
          }),
        }),
      });
    });

    const headersPolicyOf = (pathPattern?: string) => {
      const distribution = propertiesOf(template, "AWS::CloudFront::Distribution")[0]?.[1] as {
        DistributionConfig: {
          DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: string } };
          CacheBehaviors: { PathPattern: string; ResponseHeadersPolicyId: { Ref: string } }[];
        };
      };
      const config = distribution.DistributionConfig;
      const behavior = pathPattern
        ? config.CacheBehaviors.find((candidate) => candidate.PathPattern === pathPattern)
        : config.DefaultCacheBehavior;
      return json.Resources[behavior?.ResponseHeadersPolicyId.Ref as string].Properties
        .ResponseHeadersPolicyConfig;
    };

    it("lets the API's pages keep their own content security and referrer policies", () => {
      const api = headersPolicyOf("/api/*");
      expect(api.SecurityHeadersConfig.ContentSecurityPolicy).toBeUndefined();
      expect(api.SecurityHeadersConfig.ReferrerPolicy).toBeUndefined();
    });

    it("serves a folder such as /ka/ from its index.html and redirects /ka to it, as the local front does", () => {
      const [, fn] = propertiesOf(template, "AWS::CloudFront::Function")[0] ?? [];
      expect(fn?.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
      expect(fn?.FunctionCode).toBe(DIRECTORY_INDEX_FUNCTION);
      // Run the deployed code on the paths a reader opens, beside the local front's rule.
      const handler = new Function(`${fn?.FunctionCode}; return handler;`)() as (event: {
        request: { uri: string };
      }) => { uri: string };
      for (const uri of ["/", "/ka/", "/ka/past/2/", "/ka/series/ict/", "/ka/events/third", "/feed.xml"]) {
        const rewritten = handler({ request: { uri } }).uri;
        expect(rewritten).toBe(`/${staticKeyFor(uri)}`);
      }
      expect(handler({ request: { uri: "/ka/" } }).uri).toBe("/ka/index.html");
      const redirectOf = (uri: string, querystring: Record<string, { value: string }> = {}) => {
        const answer = handler({ request: { uri, querystring } } as never) as unknown as {
          statusCode?: number;
          headers?: { location: { value: string } };
        };
        return answer.statusCode === 301 ? answer.headers?.location.value : undefined;
      };
      // A folder typed without its slash, or an event page with one, is redirected, as locally.
      for (const [uri, location] of [
        ["/ka", "/ka/"],
        ["/ka/subscribe", "/ka/subscribe/"],
        ["/sr-Latn/past/2030-05", "/sr-Latn/past/2030-05/"],
        ["/ka/series/ict", "/ka/series/ict/"],
        ["/ka/events/third/", "/ka/events/third"],
        ["/ka/events/third", undefined],
        ["/ka/feed.xml", undefined],
        ["/ka/", undefined],
        ["/apple-app-site-association", undefined],
        ["/.well-known/security.txt", undefined],
        ["/assets/logo", undefined],
      ] as const) {
        expect(redirectOf(uri), uri).toBe(location);
        expect(directoryRedirectFor(uri, ""), uri).toBe(location);
      }
      expect(redirectOf("/ka/subscribe", { series: { value: "ict" }, ref: { value: "" } })).toBe(
        "/ka/subscribe/?series=ict&ref",
      );
      expect(directoryRedirectFor("/ka/subscribe", "?series=ict&ref")).toBe("/ka/subscribe/?series=ict&ref");
      const distribution = propertiesOf(template, "AWS::CloudFront::Distribution")[0]?.[1];
      expect(distribution.DistributionConfig.DefaultCacheBehavior.FunctionAssociations).toEqual([
        { EventType: "viewer-request", FunctionARN: expect.anything() },
      ]);
    });

    it("answers a missing page with the site's 404 page and status 404, leaving the API's own errors alone", () => {
      const distribution = propertiesOf(template, "AWS::CloudFront::Distribution")[0]?.[1];
      expect(distribution.DistributionConfig.CustomErrorResponses).toEqual([
        { ErrorCode: 403, ResponseCode: 404, ResponsePagePath: "/404.html", ErrorCachingMinTTL: 60 },
      ]);
    });

    it("gives pages their own content security policy: their inline style and script, same-origin forms", () => {
      expect(headersPolicyOf().SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: PAGE_CONTENT_SECURITY_POLICY,
        Override: true,
      });
      expect(PAGE_CONTENT_SECURITY_POLICY).toMatch(
        /^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-/,
      );
    });

    it("re-renders the pages every hour, so events that ended show as past", () => {
      template.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: "rate(1 hour)",
        Targets: [
          Match.objectLike({ Arn: { "Fn::GetAtt": [logicalId(stack.pipeline.feedPublisher), "Arn"] } }),
        ],
      });
    });

    it("lets any site fetch the feeds from a browser", () => {
      expect(headersPolicyOf().CorsConfig).toMatchObject({
        AccessControlAllowOrigins: { Items: ["*"] },
        AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
        AccessControlAllowCredentials: false,
      });
    });
  });

  describe("alarms", () => {
    it("raise an alarm when a mail was sent but could not be recorded in the delivery ledger", () => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "eventcast",
        MetricName: "MailsInDoubt",
        Dimensions: [{ Name: "service", Value: "eventcast" }],
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
      });
    });

    const alarmActions = { AlarmActions: [{ Ref: logicalId(stack.alarms.topic) }] };

    it("alarms as soon as one failed stream batch lands in the failure queue", () => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [
          {
            Name: "QueueName",
            Value: { "Fn::GetAtt": [logicalId(stack.pipeline.failureQueue), "QueueName"] },
          },
        ],
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        ...alarmActions,
      });
    });

    it("alarms as soon as one message lands in any failure or dead-letter queue", () => {
      for (const queue of [
        stack.announcements.announcerFailureQueue,
        stack.announcements.deliveryDeadLetterQueue,
        stack.mail.feedbackFailureQueue,
      ]) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalId(queue), "QueueName"] } }],
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          ...alarmActions,
        });
      }
    });

    it("tells ops how to re-drive the delivery dead-letter queue", () => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Dimensions: [
          {
            Name: "QueueName",
            Value: { "Fn::GetAtt": [logicalId(stack.announcements.deliveryDeadLetterQueue), "QueueName"] },
          },
        ],
        AlarmDescription: Match.stringLikeRegexp("npm run redrive"),
      });
    });

    it("alarms before SES reviews the account for its bounce or complaint rate", () => {
      for (const [metricName, limit] of [
        ["Reputation.BounceRate", 0.05],
        ["Reputation.ComplaintRate", 0.001],
      ] as const) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "AWS/SES",
          MetricName: metricName,
          Threshold: limit,
          ComparisonOperator: "GreaterThanThreshold",
          ...alarmActions,
        });
      }
    });

    it("alarms on errors of every function", () => {
      for (const fn of functions) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "AWS/Lambda",
          MetricName: "Errors",
          Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId(fn) } }],
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          ...alarmActions,
        });
      }
    });
  });

  it("outputs what ops and editors need: URLs, table, bucket, queues, configuration set and secret", () => {
    for (const name of [
      "DistributionUrl",
      "ApiUrl",
      "TableName",
      "FeedBucketName",
      "StreamFailureQueueUrl",
      "AnnouncerFailureQueueUrl",
      "FeedbackFailureQueueUrl",
    ]) {
      template.hasOutput(name, { Value: Match.anyValue() });
    }
    // npm run redrive -- --from <DeliveryDeadLetterQueueUrl> --to <DeliveryQueueUrl>
    template.hasOutput("DeliveryQueueUrl", { Value: { Ref: logicalId(stack.announcements.deliveryQueue) } });
    template.hasOutput("DeliveryDeadLetterQueueUrl", {
      Value: { Ref: logicalId(stack.announcements.deliveryDeadLetterQueue) },
    });
    template.hasOutput("ConfigurationSetName", { Value: { Ref: logicalId(stack.mail.configurationSet) } });
    template.hasOutput("LinkKeysArn", { Value: { Ref: logicalId(stack.data.linkKeys) } });
    template.hasOutput("PseudonymKeyArn", { Value: { Ref: logicalId(stack.data.pseudonymKey) } });
    template.hasOutput("SubscribersTableName", { Value: { Ref: logicalId(stack.data.subscribersTable) } });
  });

  it("has no circular dependency between resources (CloudFormation would refuse to deploy it)", () => {
    expect(() => Template.fromJSON(json)).not.toThrow();
  });

  describe("cdk-nag (AwsSolutions)", () => {
    it("leaves no unacknowledged finding", () => {
      expect(unacknowledgedFindings(report)).toEqual([]);
    });

    it("reports a resource that breaks a rule, so a clean report means something", () => {
      const broken = synthesize({}, (s) => new Queue(s, "PlainQueue", { enforceSSL: false }));
      expect(unacknowledgedFindings(broken.report)).toContain(
        "AwsSolutions-SQS4 at Eventcast/PlainQueue/Resource",
      );
    });
  });
});

describe("context values ops pass to cdk deploy", () => {
  it("override the public URL, site URL, languages, throttling, removal policy and alarm email", () => {
    const custom = synthesize({
      publicUrl: "https://events.example.org/",
      siteUrl: "https://example.org/events",
      languages: "en,ka",
      defaultLanguage: "ka",
      throttleRate: "10",
      throttleBurst: "20",
      removalPolicy: "destroy",
      alarmEmail: "ops@example.org",
    });
    custom.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          PUBLIC_URL: "https://events.example.org",
          SITE_URL: "https://example.org/events",
          LANGUAGES: "en,ka",
          DEFAULT_LANGUAGE: "ka",
        }),
      },
    });
    custom.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
    custom.template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Delete" });
    custom.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
    });
    expect(unacknowledgedFindings(custom.report)).toEqual([]);
  });

  it("set the sender, postal line, organisation, rate limit and the delivery's pace", () => {
    const custom = synthesize({
      senderAddress: "news@lists.example.net",
      postalAddress: "2 Side Street, Yerevan",
      organisationName: "EU4Digital",
      subscribeRequestsPerHour: "3",
      deliveryBatchSize: "5",
      deliveryMaxConcurrency: "10",
    });
    const variables =
      custom.json.Resources[custom.logicalId(custom.stack.announcements.deliverer)].Properties.Environment
        .Variables;
    expect(variables).toMatchObject({
      SENDER_ADDRESS: "news@lists.example.net",
      POSTAL_ADDRESS: "2 Side Street, Yerevan",
      ORGANISATION_NAME: "EU4Digital",
      SUBSCRIBE_REQUESTS_PER_HOUR: "3",
    });
    custom.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    custom.template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "ses:SendEmail",
            Resource: Match.arrayWith([
              { "Fn::Join": ["", Match.arrayWith([":identity/lists.example.net"])] },
            ]),
            Condition: { StringEquals: { "ses:FromAddress": "news@lists.example.net" } },
          }),
        ]),
      }),
    });
    expect(unacknowledgedFindings(custom.report)).toEqual([]);
  });

  it("pass the programme's title and description to every function, as one text or by language", () => {
    const byLanguage = { en: "EU4Digital events", ka: "EU4Digital-ის ღონისძიებები" };
    const custom = synthesize({
      feedTitle: byLanguage, // an object, as cdk.json holds it
      feedDescription: '{"en":"Networking events","ka":"ქსელური ღონისძიებები"}', // its text, as -c passes it
    });
    custom.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          FEED_TITLE: JSON.stringify(byLanguage),
          FEED_DESCRIPTION: '{"en":"Networking events","ka":"ქსელური ღონისძიებები"}',
        }),
      },
    });
    const plain = synthesize({ feedTitle: "EU4Digital" });
    plain.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ FEED_TITLE: "EU4Digital" }) },
    });
  });

  it("refuse to synthesize without a sender address or a postal line, naming the key", () => {
    expect(() => synthesize({ senderAddress: undefined })).toThrow(/senderAddress: required/);
    expect(() => synthesize({ postalAddress: undefined })).toThrow(/postalAddress: required/);
    expect(() => synthesize({ senderAddress: "  " })).toThrow(/senderAddress/);
  });

  it("reject a value the stack cannot use, naming the key", () => {
    expect(() => synthesize({ removalPolicy: "delete" })).toThrow(/removalPolicy/);
    expect(() => synthesize({ removalPolicy: "snapshot" })).toThrow(/cannot snapshot a DynamoDB table/);
    expect(() => synthesize({ languages: "en,ka", defaultLanguage: "ru" })).toThrow(/defaultLanguage/);
    expect(() => synthesize({ senderAddress: "Events <not an address>" })).toThrow(/senderAddress/);
    expect(() => synthesize({ senderAddress: "Events <events@example.org>\nBcc: x@y.z" })).toThrow(
      /senderAddress/,
    );
    expect(() => synthesize({ deliveryBatchSize: "11" })).toThrow(/deliveryBatchSize/);
    expect(() => synthesize({ deliveryMaxConcurrency: "1" })).toThrow(/deliveryMaxConcurrency/);
    expect(() => synthesize({ feedTitle: '{"en":"Events"' })).toThrow(/feedTitle: is not valid JSON/);
    expect(() => synthesize({ feedTitle: { en: "Events", ka: 5 } })).toThrow(/feedTitle\.ka: must be a text/);
    expect(() =>
      synthesize({ languages: "en,ka", feedDescription: { en: "Events", ru: "События" } }),
    ).toThrow(/feedDescription\.ru: is not a configured language/);
  });
});
