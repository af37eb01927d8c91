import { Duration, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { TABLE_GRANTS } from "../table-grants";
import { EventcastFunction } from "./function";

export interface SubscriptionMailProps {
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
}

/**
 * Subscription requests leave the public API on a queue; the subscription mailer takes them and
 * sends the confirmation (or "already subscribed") mail. The API answers at once and the same
 * way for every address, and SES throttling never reaches a request.
 */
export class SubscriptionMail extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly mailer: EventcastFunction;

  constructor(scope: Construct, id: string, props: SubscriptionMailProps) {
    super(scope, id);

    this.mailer = new EventcastFunction(this, "SubscriptionMailer", {
      entryName: "subscription-mailer",
      description: "Takes queued subscription requests: pending records and confirmation mails",
      memorySize: 256,
      timeout: Duration.seconds(30),
    })
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.subscriptionMailer.subscribers)
      .bindFeedBucket(props.feedBucket, "none");

    this.deadLetterQueue = new Queue(this, "SubscriptionRequestDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter queue of the subscription requests.",
    });
    this.queue = new Queue(this, "SubscriptionRequests", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds((this.mailer.timeout ?? Duration.seconds(3)).toSeconds() * 6),
      // A request older than its 48-hour confirmation window is worth nothing.
      retentionPeriod: Duration.days(2),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.mailer.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }),
    );
  }

  /** Lets a function queue subscription requests and names the queue to it. */
  grantEnqueue(fn: EventcastFunction): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment("SUBSCRIPTION_QUEUE_URL", this.queue.queueUrl);
  }
}
