import { setTimeout as delay } from "node:timers/promises";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { assertSupportedPatterns, type FilterPattern, matchesAnyPattern } from "./event-filter";

/** A stream consumer, configured like a Lambda event source mapping with ReportBatchItemFailures. */
export interface StreamSubscriber {
  name: string;
  /** Lambda filter patterns, ORed; none means every record. */
  filters?: readonly FilterPattern[];
  /** Most records per invocation (Lambda's default for streams is 100). */
  batchSize?: number;
  /** Retries of a failing record before it goes to onFailure (Lambda's MaximumRetryAttempts). */
  maxRetries?: number;
  // biome-ignore lint/suspicious/noConfusingVoidType: aws-lambda's DynamoDBStreamHandler result, so handlers that return nothing fit.
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
  /** The on-failure destination: receives what exhausted its retries. */
  onFailure: (failure: StreamDeliveryFailure) => Promise<void> | void;
}

export interface StreamDeliveryFailure {
  subscriber: string;
  /** The failed record and the rest of its batch, in stream order. */
  records: DynamoDBRecord[];
  error: unknown;
  /** Invocations that failed on the first of these records. */
  attempts: number;
}

export interface StreamSubscription {
  /** Queues the records that match the subscriber's filters and starts delivering them. */
  push(records: readonly DynamoDBRecord[]): void;
  isBusy(): boolean;
  /** Resolves when the queue is empty and no invocation is running. */
  idle(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MAX_RETRIES = 2;

/** Delivers records to one subscriber in order, one batch at a time, retrying like Lambda does. */
export const createStreamSubscription = (subscriber: StreamSubscriber): StreamSubscription => {
  const batchSize = subscriber.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxRetries = subscriber.maxRetries ?? DEFAULT_MAX_RETRIES;
  const filters = subscriber.filters ?? [];
  assertSupportedPatterns(filters);
  const pending: DynamoDBRecord[] = [];
  let running: Promise<void> | undefined;

  const deliverPending = async () => {
    let checkpoint: string | undefined;
    let attempts = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      const outcome = await invoke(subscriber, batch);
      if (outcome.failedFrom === undefined) {
        pending.splice(0, batch.length);
        continue;
      }
      // Like Lambda, records before the first failure count as processed.
      pending.splice(0, outcome.failedFrom);
      const failedSequence = sequenceOf(pending[0]);
      attempts = failedSequence === checkpoint ? attempts + 1 : 1;
      checkpoint = failedSequence;
      if (attempts <= maxRetries) {
        await delay(Math.min(1000, 50 * 2 ** (attempts - 1)));
        continue;
      }
      const records = pending.splice(0, batch.length - outcome.failedFrom);
      await reportFailure(subscriber, {
        subscriber: subscriber.name,
        records,
        error: outcome.error,
        attempts,
      });
      checkpoint = undefined;
    }
  };

  const schedule = () => {
    running ??= deliverPending().finally(() => {
      running = undefined;
      // Records pushed between the loop's last check and this callback would otherwise wait.
      if (pending.length > 0) schedule();
    });
  };

  return {
    push(records) {
      const matching = records.filter((record) => matchesAnyPattern(filters, record));
      if (matching.length === 0) return;
      pending.push(...matching);
      schedule();
    },
    isBusy: () => running !== undefined,
    idle: async () => {
      await running;
    },
  };
};

interface InvocationOutcome {
  /** Index of the first failed record; undefined when the whole batch succeeded. */
  failedFrom?: number;
  error?: unknown;
}

const invoke = async (subscriber: StreamSubscriber, batch: DynamoDBRecord[]): Promise<InvocationOutcome> => {
  let response: Awaited<ReturnType<StreamSubscriber["handler"]>>;
  try {
    response = await subscriber.handler({ Records: batch });
  } catch (error) {
    return { failedFrom: 0, error };
  }
  const identifiers = response?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? [];
  if (identifiers.length === 0) return {};
  const indexes = identifiers.map((id) => batch.findIndex((record) => sequenceOf(record) === id));
  const error = new Error(`${subscriber.name} reported batchItemFailures ${identifiers.join(", ")}`);
  // Lambda treats an identifier it cannot find as a failure of the whole batch.
  if (indexes.includes(-1)) return { failedFrom: 0, error };
  return { failedFrom: Math.min(...indexes), error };
};

const reportFailure = async (subscriber: StreamSubscriber, failure: StreamDeliveryFailure) => {
  try {
    await subscriber.onFailure(failure);
  } catch (error) {
    // The queue must move on; the records are at least in the log.
    console.error(`onFailure of ${subscriber.name} threw; dropping`, failure.records, error);
  }
};

const sequenceOf = (record: DynamoDBRecord | undefined) => record?.dynamodb?.SequenceNumber;
