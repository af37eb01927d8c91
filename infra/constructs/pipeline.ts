import { Duration, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { FEED_PUBLISHER_FILTERS } from "../../shared/pipeline/stream-filters";
import { TABLE_GRANTS } from "../table-grants";
import { EventcastFunction } from "./function";

export interface PipelineProps {
  readonly table: Table;
  readonly feedBucket: Bucket;
}

/**
 * Change data capture: the table's stream drives the feed publisher, which rewrites the feeds and
 * pages in S3; an hourly schedule re-renders them as time passes (events that ended are over).
 */
export class Pipeline extends Construct {
  readonly feedPublisher: EventcastFunction;
  /** Where the stream source sends the batches it gave up on (metadata pointing into the stream). */
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);

    this.failureQueue = new Queue(this, "StreamFailures", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This queue is itself the dead-letter (on-failure) destination of the feed publisher's stream.",
    });

    this.feedPublisher = new EventcastFunction(this, "FeedPublisher", {
      entryName: "feed-publisher",
      description:
        "Renders the feeds (RSS, JSON Feed, iCalendar) and the website's pages of every language to S3 when events change",
      // A change peaks near 100 MB of heap at any size; a rebuild, one month at a time, near 500 MB
      // at 10,000 events (garbage included): room for both (npm run bench).
      memorySize: 1024,
      // A stream batch takes seconds; a rebuild (`aws lambda invoke`, README) walks the whole programme.
      timeout: Duration.minutes(15),
    })
      .bindTable(props.table, "events", TABLE_GRANTS.feedPublisher.events)
      .bindFeedBucket(props.feedBucket, "publish");

    this.feedPublisher.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: FEED_PUBLISHER_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        batchSize: 100,
        // A burst of edits becomes one re-render instead of many.
        maxBatchingWindow: Duration.seconds(2),
        // Without a cap a poison record blocks its shard until it expires (24 h).
        retryAttempts: 5,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
      }),
    );
    // Time moves events from upcoming to past without any write to the table.
    new Rule(this, "HourlyRender", {
      description: "Re-renders the pages of events that ended since, so that they show as past",
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.feedPublisher, { retryAttempts: 2 })],
    });
    this.feedPublisher.acknowledgePermissions({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: "dynamodb:ListStreams has no resource-level permissions; the stream event source needs it.",
    });
  }
}
