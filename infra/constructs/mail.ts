import { Duration, Stack, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { SnsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from "aws-cdk-lib/aws-ses";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { TABLE_GRANTS } from "../table-grants";
import { EventcastFunction } from "./function";

export interface MailProps {
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
  /** The From of every mail, already parsed from the context value. */
  readonly sender: { readonly address: string; readonly domain: string };
}

/**
 * SES as eventcast uses it: one configuration set for every mail, the least-privilege permission
 * to send through it, and the way back: bounces and complaints → SNS → the feedback function.
 */
export class Mail extends Construct {
  readonly configurationSet: ConfigurationSet;
  /** The configuration set's event destination: SES publishes bounces and complaints here. */
  readonly feedbackTopic: Topic;
  readonly feedback: EventcastFunction;
  /** Feedback events the function gave up on (after Lambda's async retries), with the error. */
  readonly feedbackFailureQueue: Queue;
  private readonly sender: MailProps["sender"];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.sender = props.sender;

    this.configurationSet = new ConfigurationSet(this, "ConfigurationSet", {
      // Per-set Reputation.BounceRate / ComplaintRate in CloudWatch, to tell eventcast's share apart.
      reputationMetrics: true,
    });
    // No KMS key: SES publishes only to topics whose customer managed key admits it, for addresses we store anyway.
    this.feedbackTopic = new Topic(this, "FeedbackTopic", {
      displayName: "eventcast SES bounces and complaints",
      enforceSSL: true,
    });
    // Also adds the topic policy that lets SES publish for this configuration set only.
    new ConfigurationSetEventDestination(this, "FeedbackDestination", {
      configurationSet: this.configurationSet,
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.feedbackFailureQueue = new Queue(this, "FeedbackFailures", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.feedbackFailureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the on-failure destination of the feedback function's async invocations.",
    });

    this.feedback = new EventcastFunction(this, "Feedback", {
      entryName: "feedback",
      description: "Suppresses addresses SES reports as permanently bounced or complaining",
      memorySize: 256,
      timeout: Duration.seconds(30),
    })
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.feedback.subscribers)
      .bindFeedBucket(props.feedBucket, "none");
    this.feedback.addEventSource(new SnsEventSource(this.feedbackTopic));
    // SNS invokes asynchronously: after Lambda's own retries the event and its error land in the queue.
    this.feedback.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.feedbackFailureQueue),
    });
  }

  /** The verified identity (the domain, or the address when that is verified itself) and the configuration set. */
  private sendingResources(): string[] {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: "ses", resource: "identity", resourceName: name });
    return [
      identity(this.sender.domain),
      identity(this.sender.address),
      stack.formatArn({
        service: "ses",
        resource: "configuration-set",
        resourceName: this.configurationSet.configurationSetName,
      }),
    ];
  }

  /**
   * Lets a function send single mails (confirmations) as the configured sender through this
   * configuration set, and nothing else: ses:SendEmail on the sender's identity and the
   * configuration set, with the From pinned to the configured address.
   */
  grantSendEmail(fn: EventcastFunction): EventcastFunction {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: this.sendingResources(),
        conditions: { StringEquals: { "ses:FromAddress": this.sender.address } },
      }),
    );
    fn.addEnvironment("SES_CONFIGURATION_SET", this.configurationSet.configurationSetName);
    return fn;
  }

  /**
   * Lets a function send bulk mail (mailings) as the configured sender through this configuration
   * set: ses:SendBulkEmail, which the Service Authorization Reference (Amazon SES v2) lists with
   * the resource types identity (required), template (required) and configuration-set, and with
   * ses:ApiVersion as its only condition key: so no ses:FromAddress condition here (an absent key
   * would deny every call); the identity resource pins the sender instead. The function sends inline
   * templates and has no right to create one, so `template/*` only names what SES checks.
   */
  grantSendBulkEmail(fn: EventcastFunction): EventcastFunction {
    const stack = Stack.of(this);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["ses:SendBulkEmail"],
        resources: [
          ...this.sendingResources(),
          stack.formatArn({ service: "ses", resource: "template", resourceName: "*" }),
        ],
      }),
    );
    fn.acknowledgePermissions({
      id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:template/*]",
      reason:
        "SendBulkEmail requires a template resource; the deliverer sends inline templates and may create none, so the wildcard adds no power.",
    });
    fn.addEnvironment("SES_CONFIGURATION_SET", this.configurationSet.configurationSetName);
    return fn;
  }
}
