import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRIC, METRICS_NAMESPACE } from "../../shared/observability/metrics";

/** A queue where failed work waits for ops; one message in it raises an alarm. */
export interface FailureQueueAlarm {
  /** Construct id of the alarm. */
  readonly id: string;
  readonly queue: IQueue;
  /** What landed there and how to repair it: the alarm's description is what ops read first. */
  readonly description: string;
}

export interface AlarmsProps {
  readonly failureQueues: FailureQueueAlarm[];
  readonly functions: IFunction[];
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

/**
 * SES reviews an account at a 5 % bounce rate and a 0.1 % complaint rate (and pauses it at 10 %
 * and 0.5 %): the alarms fire at the review thresholds, on the account-wide metrics SES enforces.
 */
const SES_BOUNCE_RATE_LIMIT = 0.05;
const SES_COMPLAINT_RATE_LIMIT = 0.001;

/**
 * Nothing fails silently: any message in a failure or dead-letter queue, any function error, and
 * a bounce or complaint rate that puts the SES account at risk raise an alarm.
 */
export class Alarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, "Topic", { displayName: "eventcast alarms", enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const { id: alarmId, queue, description } of props.failureQueues) {
      this.alarmWhenAbove(
        alarmId,
        description,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
        0,
      );
    }
    for (const fn of props.functions) {
      this.alarmWhenAbove(
        `${fn.node.id}Errors`,
        `${fn.node.id} failed invocations: see its log group.`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
        0,
      );
    }

    // The deliverer's own count of mails SES accepted but the ledger could not record (the one window).
    this.alarmWhenAbove(
      "MailsInDoubt",
      "Announcement mails sent but not recorded in the delivery ledger: they are never resent. Query the ledger rows still 'sending' (README, Operate) and check DynamoDB errors in the deliverer's log.",
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.mailsInDoubt,
        dimensionsMap: { service: "eventcast" },
        period: Duration.minutes(5),
        statistic: "Sum",
      }),
      0,
    );

    // SES publishes the reputation rates now and then, not every minute: an hour smooths the gaps.
    const reputation = (metricName: string) =>
      new Metric({ namespace: "AWS/SES", metricName, period: Duration.hours(1), statistic: "Maximum" });
    this.alarmWhenAbove(
      "SesBounceRate",
      "SES bounce rate above 5 %: SES puts the account under review (and pauses sending at 10 %). Check the feedback function and where the addresses came from.",
      reputation("Reputation.BounceRate"),
      SES_BOUNCE_RATE_LIMIT,
    );
    this.alarmWhenAbove(
      "SesComplaintRate",
      "SES complaint rate above 0.1 %: SES puts the account under review (and pauses sending at 0.5 %). Check that complaints suppress addresses and that unsubscribing works.",
      reputation("Reputation.ComplaintRate"),
      SES_COMPLAINT_RATE_LIMIT,
    );
  }

  private alarmWhenAbove(id: string, description: string, metric: IMetric, threshold: number): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
