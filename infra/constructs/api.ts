import { type CfnElement, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { TABLE_GRANTS } from "../table-grants";
import { EventcastFunction } from "./function";

/** Every route of the API; each admin route is IAM-signed, each public route is deliberately open. */
export const ADMIN_ROUTE_PATHS = [
  "/api/admin/events",
  "/api/admin/events/{proxy+}",
  "/api/admin/series",
  "/api/admin/series/{proxy+}",
  "/api/admin/erasures",
] as const;
export const PUBLIC_ROUTE_PATHS = [
  "/api/events",
  "/api/events/{proxy+}",
  "/api/subscriptions",
  "/api/subscriptions/{proxy+}",
] as const;

export interface ApiProps {
  readonly table: Table;
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
  readonly throttle: ThrottleSettings;
  /** Reserved concurrent executions of the public function: its floor and its ceiling. */
  readonly publicConcurrency: number;
  /** IAM principals the admin function lets edit, and erase people (besides a valid signature). */
  readonly editors: readonly string[];
  readonly privacyOperators: readonly string[];
}

/** The HTTP API: the editors' admin routes behind SigV4, and the public read/subscribe routes. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly adminFunction: EventcastFunction;
  readonly publicFunction: EventcastFunction;
  /** Attach to an editor's user or role (and list it in `editors`): invoke the events and series routes. */
  readonly editorPolicy: ManagedPolicy;
  /** Attach to a privacy operator's user or role (and list it in `privacyOperators`): invoke erasures. */
  readonly privacyOperatorPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.adminFunction = new EventcastFunction(this, "AdminApi", {
      entryName: "admin-api",
      description: "Editors' API: create, update, publish and cancel events",
    })
      .addEnvironmentVariables({
        EDITORS: props.editors.join(",") || undefined,
        PRIVACY_OPERATORS: props.privacyOperators.join(",") || undefined,
      })
      .bindTable(props.table, "events", TABLE_GRANTS.adminApi.events)
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.adminApi.subscribers)
      .bindFeedBucket(props.feedBucket, "none");
    this.publicFunction = new EventcastFunction(this, "PublicApi", {
      entryName: "public-api",
      description: "Public API: published events as JSON, subscriptions",
      reservedConcurrentExecutions: props.publicConcurrency,
    })
      .bindTable(props.table, "events", TABLE_GRANTS.publicApi.events)
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.publicApi.subscribers)
      .bindFeedBucket(props.feedBucket, "none");

    this.httpApi = new HttpApi(this, "HttpApi", {
      description: "eventcast API (served under /api/* by the CloudFront distribution)",
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, "AccessLogs", { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      // The public routes are anonymous: the stage's default route settings cap what anyone can send.
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            caller: "$context.identity.userArn",
            requestTime: "$context.requestTime",
            method: "$context.httpMethod",
            routeKey: "$context.routeKey",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });

    const admin = new HttpLambdaIntegration("AdminIntegration", this.adminFunction);
    const authorizer = new HttpIamAuthorizer();
    for (const path of ADMIN_ROUTE_PATHS) {
      this.httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration: admin, authorizer });
    }

    // The allow-lists above decide inside the function; these policies are what IAM lets reach it.
    const invokable = (paths: string[]) => ({
      statements: [invoke(paths)],
      // cdk-nag names each wildcard resource: the HTTP method, and the event or series id.
      findings: paths.map(
        (path) =>
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${Stack.of(
            this,
          ).getLogicalId(this.httpApi.node.defaultChild as CfnElement)}>/${this.stage.stageName}/*${path}]`,
      ),
    });
    const invoke = (paths: string[]) =>
      new PolicyStatement({
        actions: ["execute-api:Invoke"],
        resources: paths.map((path) =>
          Stack.of(this).formatArn({
            service: "execute-api",
            resource: this.httpApi.apiId,
            resourceName: `${this.stage.stageName}/*${path}`,
          }),
        ),
      });
    const editing = invokable([
      "/api/admin/events",
      "/api/admin/events/*",
      "/api/admin/series",
      "/api/admin/series/*",
    ]);
    this.editorPolicy = new ManagedPolicy(this, "EditorPolicy", {
      description: "eventcast: edit, publish and cancel events and series through the editors' API",
      statements: editing.statements,
    });
    const erasing = invokable(["/api/admin/erasures"]);
    this.privacyOperatorPolicy = new ManagedPolicy(this, "PrivacyOperatorPolicy", {
      description: "eventcast: erase a person (npm run erase) through the editors' API",
      statements: erasing.statements,
    });
    for (const [policy, { findings }] of [
      [this.editorPolicy, editing],
      [this.privacyOperatorPolicy, erasing],
    ] as const) {
      Validations.of(policy).acknowledge(
        ...findings.map((id) => ({
          id,
          reason:
            "Scoped to this API's stage and admin paths; the wildcards are the HTTP method and the event or series id.",
        })),
      );
    }

    const publicIntegration = new HttpLambdaIntegration("PublicIntegration", this.publicFunction);
    for (const path of PUBLIC_ROUTE_PATHS) {
      for (const route of this.httpApi.addRoutes({
        path,
        methods: [HttpMethod.ANY],
        integration: publicIntegration,
      })) {
        Validations.of(route).acknowledge({
          id: "AwsSolutions-APIG4",
          reason: "Public by design: anyone may read published events and subscribe; the stage throttles it.",
        });
      }
    }
  }

  /** The API's execute-api host name; it names only the API resource, not its routes. */
  get domainName(): string {
    const stack = Stack.of(this);
    return `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}
