import { Duration, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ANNOUNCER_FILTERS } from "../../shared/pipeline/stream-filters";
import { TABLE_GRANTS } from "../table-grants";
import { EventcastFunction } from "./function";

/** SQS wants the visibility timeout at least six times the consumer's timeout (NOTES). */
const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Receives before a delivery batch is parked in the dead-letter queue (NOTES: at least 5). */
const MAX_RECEIVE_COUNT = 5;

export interface AnnouncementsProps {
  readonly table: Table;
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
  /** Queue messages (each at most 50 recipients) one deliverer invocation takes. */
  readonly deliveryBatchSize: number;
  /** Deliverer invocations at once: each sends one batch (≤ 50 mails) at a time, so this bounds the SES send rate. */
  readonly deliveryMaxConcurrency: number;
}

/**
 * Where an announcement starts and who sends the mail: the table's stream drives the announcer
 * (first publications only), which pages the audience onto the delivery queue; the deliverer
 * consumes it and sends through SES. Sending permissions are granted by Mail.
 */
export class Announcements extends Construct {
  readonly announcer: EventcastFunction;
  /** Where the announcer's stream source sends the records it gave up on (metadata pointing into the stream). */
  readonly announcerFailureQueue: Queue;
  readonly deliverer: EventcastFunction;
  readonly deliveryQueue: Queue;
  readonly deliveryDeadLetterQueue: Queue;
  /** Every minute: starts the change notices and reminders that are due (the periodic sweep). */
  readonly sweeper: EventcastFunction;

  constructor(scope: Construct, id: string, props: AnnouncementsProps) {
    super(scope, id);

    this.deliverer = new EventcastFunction(this, "Deliverer", {
      entryName: "deliverer",
      description:
        "Sends each planned batch with one SES bulk call and records every outcome, at most once per recipient",
      memorySize: 512,
      timeout: Duration.seconds(60),
    })
      .bindTable(props.table, "events", TABLE_GRANTS.deliverer.events)
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.deliverer.subscribers)
      .bindFeedBucket(props.feedBucket, "none");

    this.deliveryDeadLetterQueue = new Queue(this, "DeliveryDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deliveryDeadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter queue of the delivery queue.",
    });
    this.deliveryQueue = new Queue(this, "DeliveryQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Derived from the function's timeout so the two cannot drift apart.
      visibilityTimeout: Duration.seconds(
        (this.deliverer.timeout ?? Duration.seconds(3)).toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deliveryDeadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // SES send rate ≈ deliveryMaxConcurrency × 50 / (time per batch); e.g. 2 × 50 / 0.5 s ≈ 200
    // mails/s at most. Keep it near the account's SES MaxSendRate (GetAccount → SendQuota): throttled
    // entries are retried with backoff, but every retry costs deliverer time. The batch size does not
    // change the rate: a deliverer handles its messages one after the other.
    this.deliverer.addEventSource(
      new SqsEventSource(this.deliveryQueue, {
        batchSize: props.deliveryBatchSize,
        maxConcurrency: props.deliveryMaxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    this.announcerFailureQueue = new Queue(this, "AnnouncerFailures", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.announcerFailureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter (on-failure) destination of the announcer's stream.",
    });

    this.announcer = new EventcastFunction(this, "Announcer", {
      entryName: "announcer",
      description: "Plans an event's announcement into batches of its audience, then queues the batches",
      memorySize: 512,
      // Planning 100k subscribers is a few hundred reads and writes; a timeout plans again from the start.
      timeout: Duration.minutes(5),
    })
      .bindTable(props.table, "events", TABLE_GRANTS.announcer.events)
      .bindTable(props.subscribersTable, "subscribers", TABLE_GRANTS.announcer.subscribers)
      .bindFeedBucket(props.feedBucket, "none")
      .bindDeliveryQueue(this.deliveryQueue);

    this.announcer.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: ANNOUNCER_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        // One announcement per invocation: a fan-out may take minutes, and a failure retries only it.
        batchSize: 1,
        // Without a cap a poison record blocks its shard until it expires (24 h).
        retryAttempts: 5,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.announcerFailureQueue),
      }),
    );
    this.sweeper = new EventcastFunction(this, "Sweeper", {
      entryName: "sweeper",
      description: "Every minute: asks for the change notices and reminders due by now to be planned",
      memorySize: 256,
      timeout: Duration.seconds(50),
    })
      .bindTable(props.table, "events", TABLE_GRANTS.sweeper.events)
      .bindFeedBucket(props.feedBucket, "none");
    // A missed minute is caught up by the next: everything due by then is found again.
    new Rule(this, "EveryMinute", {
      description: "Sweeps the due-time index for change notices and reminders",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.sweeper, { retryAttempts: 0 })],
    });

    this.announcer.acknowledgePermissions({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "dynamodb:ListStreams has no resource-level permissions; the stream event source needs it.",
    });
  }
}
