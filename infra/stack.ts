import { App, CfnOutput, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Construct } from "constructs";
import { Alarms } from "./constructs/alarms";
import { Api } from "./constructs/api";
import { Data } from "./constructs/data";
import { Feeds } from "./constructs/feeds";
import { Pipeline } from "./constructs/pipeline";
import { readSettings } from "./settings";

/** eventcast in one stack: data, API, stream pipeline, the CloudFront front door, alarms. */
export class EventcastStack extends Stack {
  readonly data: Data;
  readonly api: Api;
  readonly pipeline: Pipeline;
  readonly feeds: Feeds;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const settings = readSettings(this);

    this.data = new Data(this, "Data", { removalPolicy: settings.removalPolicy });
    const { table, feedBucket, accessLogBucket } = this.data;
    this.api = new Api(this, "Api", {
      table,
      feedBucket,
      throttle: { rateLimit: settings.throttleRate, burstLimit: settings.throttleBurst },
    });
    this.pipeline = new Pipeline(this, "Pipeline", { table, feedBucket });
    this.feeds = new Feeds(this, "Feeds", {
      feedBucket,
      accessLogBucket,
      apiDomainName: this.api.domainName,
    });

    // No cycle: the distribution refers only to the API resource (its id), never to the routes or
    // integrations that refer to the functions, so the functions may refer to the distribution.
    const publicUrl = settings.publicUrl ?? this.feeds.url;
    const functions = [this.api.adminFunction, this.api.publicFunction, this.pipeline.feedPublisher];
    for (const fn of functions) {
      fn.addEnvironmentVariables({
        PUBLIC_URL: publicUrl,
        SITE_URL: settings.siteUrl,
        LANGUAGES: settings.languages.join(","),
        DEFAULT_LANGUAGE: settings.defaultLanguage,
      });
    }

    this.alarms = new Alarms(this, "Alarms", {
      failureQueue: this.pipeline.failureQueue,
      functions,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, "PublicUrl", {
      description: "Base of every link eventcast writes",
      value: publicUrl,
    });
    new CfnOutput(this, "DistributionUrl", {
      description: "Feeds, and /api/* (CloudFront)",
      value: this.feeds.url,
    });
    new CfnOutput(this, "ApiUrl", {
      description: "HTTP API endpoint: editors sign admin requests (SigV4, service execute-api) against it",
      value: this.api.stage.url,
    });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, "FeedBucketName", { value: feedBucket.bucketName });
    new CfnOutput(this, "StreamFailureQueueUrl", { value: this.pipeline.failureQueue.queueUrl });
  }
}

/** The app as `cdk synth` builds it and as the infra tests build it: the stack, checked by cdk-nag. */
export const defineApp = (app: App = new App()): EventcastStack => {
  const stack = new EventcastStack(app, "Eventcast");
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
