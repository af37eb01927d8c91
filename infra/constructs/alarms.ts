import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface AlarmsProps {
  readonly failureQueue: IQueue;
  readonly functions: IFunction[];
  /** Subscribed to the alarm topic when given. */
  readonly alarmEmail?: string;
}

/** Nothing fails silently: any record in the failure queue or any function error raises an alarm. */
export class Alarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, "Topic", { displayName: "eventcast alarms", enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.alarmWhenAboveZero(
      "StreamFailures",
      "Stream batches the feed publisher gave up on: read the failure queue, fix, and re-run.",
      props.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
    );
    for (const fn of props.functions) {
      this.alarmWhenAboveZero(
        `${fn.node.id}Errors`,
        `${fn.node.id} failed invocations: see its log group.`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      );
    }
  }

  private alarmWhenAboveZero(id: string, description: string, metric: IMetric): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
