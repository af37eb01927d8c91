import { App, CfnOutput, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Construct } from "constructs";
import { Alarms } from "./constructs/alarms";
import { Announcements } from "./constructs/announcements";
import { Api } from "./constructs/api";
import { Data } from "./constructs/data";
import { Feeds } from "./constructs/feeds";
import { Mail } from "./constructs/mail";
import { Pipeline } from "./constructs/pipeline";
import { SubscriptionMail } from "./constructs/subscription-mail";
import { readSettings } from "./settings";

/** eventcast in one stack: data, API, stream pipeline, announcements and mail, the CloudFront front door, alarms. */
export class EventcastStack extends Stack {
  readonly data: Data;
  readonly api: Api;
  readonly pipeline: Pipeline;
  readonly announcements: Announcements;
  readonly mail: Mail;
  readonly subscriptionMail: SubscriptionMail;
  readonly feeds: Feeds;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const settings = readSettings(this);

    this.data = new Data(this, "Data", { removalPolicy: settings.removalPolicy });
    const { table, subscribersTable, feedBucket, linkKeys, pseudonymKey, originSecret } = this.data;
    this.api = new Api(this, "Api", {
      table,
      subscribersTable,
      feedBucket,
      throttle: { rateLimit: settings.throttleRate, burstLimit: settings.throttleBurst },
      publicConcurrency: settings.publicApiConcurrency,
      editors: settings.editors,
      privacyOperators: settings.privacyOperators,
    });
    this.pipeline = new Pipeline(this, "Pipeline", { table, feedBucket });
    this.announcements = new Announcements(this, "Announcements", {
      table,
      subscribersTable,
      feedBucket,
      deliveryBatchSize: settings.deliveryBatchSize,
      deliveryMaxConcurrency: settings.deliveryMaxConcurrency,
    });
    this.mail = new Mail(this, "Mail", { subscribersTable, feedBucket, sender: settings.senderAddress });
    this.feeds = new Feeds(this, "Feeds", {
      feedBucket,
      apiDomainName: this.api.domainName,
      originSecret,
    });

    this.subscriptionMail = new SubscriptionMail(this, "SubscriptionMail", { subscribersTable, feedBucket });
    this.subscriptionMail.grantEnqueue(this.api.publicFunction);
    // Who sends mail: confirmations from the subscription mailer, mailings (bulk) from the deliverer.
    this.mail.grantSendEmail(this.subscriptionMail.mailer).bindLinkKeys(linkKeys);
    this.mail.grantSendBulkEmail(this.announcements.deliverer).bindLinkKeys(linkKeys);
    // The public API checks the links it signed (confirm, manage, unsubscribe) but sends nothing.
    this.api.publicFunction.bindLinkKeys(linkKeys);
    // Resuming a mailing puts its unsent batches back on the delivery queue.
    this.api.adminFunction.bindDeliveryQueue(this.announcements.deliveryQueue);
    // Who turns an address into its id: subscribing, feedback on an address, erasing one.
    for (const fn of [this.api.publicFunction, this.mail.feedback, this.api.adminFunction]) {
      fn.bindPseudonymKey(pseudonymKey);
    }
    // The public API answers only what came through CloudFront.
    this.api.publicFunction.bindOriginSecret(originSecret);

    // No cycle: the distribution refers only to the API resource (its id), never to the routes or
    // integrations that refer to the functions, so the functions may refer to the distribution.
    const publicUrl = settings.publicUrl ?? this.feeds.url;
    const functions = [
      this.api.adminFunction,
      this.api.publicFunction,
      this.pipeline.feedPublisher,
      this.announcements.announcer,
      this.announcements.deliverer,
      this.announcements.sweeper,
      this.mail.feedback,
      this.subscriptionMail.mailer,
    ];
    // shared/config.ts parses one configuration everywhere, so every function gets all of it;
    // the grants above decide what each may do with it.
    for (const fn of functions) {
      fn.addEnvironmentVariables({
        // A name, not a grant: shared/config.ts requires it everywhere; bindTable decides access.
        TABLE_NAME: table.tableName,
        PUBLIC_URL: publicUrl,
        SITE_URL: settings.siteUrl,
        LANGUAGES: settings.languages.join(","),
        DEFAULT_LANGUAGE: settings.defaultLanguage,
        SENDER_ADDRESS: settings.senderAddress.value,
        ORGANISATION_NAME: settings.organisationName,
        POSTAL_ADDRESS: settings.postalAddress,
        SES_CONFIGURATION_SET: this.mail.configurationSet.configurationSetName,
        DELIVERY_QUEUE_URL: this.announcements.deliveryQueue.queueUrl,
        SUBSCRIBE_REQUESTS_PER_HOUR: settings.subscribeRequestsPerHour?.toString(),
        FEED_TITLE: settings.feedTitle,
        FEED_DESCRIPTION: settings.feedDescription,
        FEED_MAX_ITEMS: settings.feedMaxItems?.toString(),
        NOTICE_DELAY_MINUTES: settings.noticeDelayMinutes?.toString(),
        REMINDER_LEAD_HOURS: settings.reminderLeadHours?.toString(),
      });
    }

    const deliveryQueueUrl = this.announcements.deliveryQueue.queueUrl;
    const deliveryDeadLetterQueueUrl = this.announcements.deliveryDeadLetterQueue.queueUrl;
    this.alarms = new Alarms(this, "Alarms", {
      failureQueues: [
        {
          id: "StreamFailures",
          queue: this.pipeline.failureQueue,
          description:
            "Stream batches the feed publisher gave up on: read the failure queue, fix, and re-run.",
        },
        {
          id: "AnnouncerFailures",
          queue: this.announcements.announcerFailureQueue,
          description:
            "First publications the announcer gave up on: each message points at stream records (kept 24 h). Fix the cause and replay them; a fan-out resumes from its saved cursor.",
        },
        {
          id: "DeliveryDeadLetters",
          queue: this.announcements.deliveryDeadLetterQueue,
          description:
            "Delivery batches that failed 5 receives: fix the cause, then npm run redrive -- --from <DeliveryDeadLetterQueueUrl> --to <DeliveryQueueUrl> (the ledger skips mails already sent).",
        },
        {
          id: "SubscriptionRequestDeadLetters",
          queue: this.subscriptionMail.deadLetterQueue,
          description:
            "Subscription requests the subscription mailer failed 5 times: fix the cause, then npm run redrive -- --from <SubscriptionRequestDeadLetterQueueUrl> --to <SubscriptionRequestQueueUrl>.",
        },
        {
          id: "FeedbackFailures",
          queue: this.mail.feedbackFailureQueue,
          description:
            "SES bounces or complaints the feedback function could not apply: each message holds the SNS event (requestPayload) and the error; fix and invoke the function with it.",
        },
      ],
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
    new CfnOutput(this, "EditorPolicyArn", {
      description: "Attach to an editor's role or user, and list that principal in -c editors=…",
      value: this.api.editorPolicy.managedPolicyArn,
    });
    new CfnOutput(this, "PrivacyOperatorPolicyArn", {
      description: "Attach to a privacy operator's role or user, and list it in -c privacyOperators=…",
      value: this.api.privacyOperatorPolicy.managedPolicyArn,
    });
    new CfnOutput(this, "TableName", { description: "The events table", value: table.tableName });
    new CfnOutput(this, "SubscribersTableName", {
      description: "Subscribers, request counters and the delivery ledger",
      value: subscribersTable.tableName,
    });
    new CfnOutput(this, "FeedBucketName", { value: feedBucket.bucketName });
    new CfnOutput(this, "FeedPublisherName", {
      description: 'Invoke with {"rebuild":true} to render every feed and page again (README: Rebuild)',
      value: this.pipeline.feedPublisher.functionName,
    });
    new CfnOutput(this, "StreamFailureQueueUrl", { value: this.pipeline.failureQueue.queueUrl });
    new CfnOutput(this, "AnnouncerFailureQueueUrl", {
      value: this.announcements.announcerFailureQueue.queueUrl,
    });
    new CfnOutput(this, "DeliveryQueueUrl", {
      description: "Delivery batches (an event and at most 50 recipients each); the redrive target",
      value: deliveryQueueUrl,
    });
    new CfnOutput(this, "DeliveryDeadLetterQueueUrl", {
      description:
        "Delivery batches that failed 5 times: npm run redrive -- --from <this> --to <DeliveryQueueUrl>",
      value: deliveryDeadLetterQueueUrl,
    });
    new CfnOutput(this, "SubscriptionRequestQueueUrl", { value: this.subscriptionMail.queue.queueUrl });
    new CfnOutput(this, "SubscriptionRequestDeadLetterQueueUrl", {
      value: this.subscriptionMail.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, "FeedbackFailureQueueUrl", { value: this.mail.feedbackFailureQueue.queueUrl });
    new CfnOutput(this, "ConfigurationSetName", {
      description: "SES configuration set of every mail (bounces and complaints → feedback function)",
      value: this.mail.configurationSet.configurationSetName,
    });
    new CfnOutput(this, "LinkKeysArn", {
      description:
        "Secrets Manager keyring that signs subscribers' links (read at cold start, never put in an environment)",
      value: linkKeys.secretArn,
    });
    new CfnOutput(this, "PseudonymKeyArn", {
      description: "Secrets Manager key of subscriber ids and IP hashes (never rotated)",
      value: pseudonymKey.secretArn,
    });
  }
}

/** The app as `cdk synth` builds it and as the infra tests build it: the stack, checked by cdk-nag. */
export const defineApp = (app: App = new App()): EventcastStack => {
  const stack = new EventcastStack(app, "Eventcast");
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
