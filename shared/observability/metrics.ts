import { Metrics } from "@aws-lambda-powertools/metrics";

/** CloudWatch metrics (EMF, written with the logs): namespace `eventcast`, dimension `service`. */
export const METRICS_NAMESPACE = "eventcast";

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "eventcast",
});

/** Names the alarms in infra/ refer to. */
export const METRIC = {
  mailsSent: "MailsSent",
  mailsFailed: "MailsFailed",
  /** Sent but not recorded in the ledger: the one window where a mail may be lost. */
  mailsInDoubt: "MailsInDoubt",
  addressesSuppressed: "AddressesSuppressed",
} as const;
