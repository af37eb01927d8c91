import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * A subscription request the public API accepted: checked, counted and answered, not yet acted
 * on. The subscription mailer decides what it means for the address (new, pending, confirmed,
 * left, suppressed) and sends the one mail it calls for.
 */
export interface SubscriptionRequestMessage {
  subscriberId: string;
  email: string;
  language: string;
  series: string[];
  /** Keyed hash of the requesting IP, for the consent record. */
  ipHash: string;
  /** When the API took the request (ISO 8601); also what makes a redelivered message recognisable. */
  requestedAt: string;
}

export const parseSubscriptionRequestMessage = (body: string): SubscriptionRequestMessage => {
  const value = JSON.parse(body) as Partial<SubscriptionRequestMessage>;
  const strings = [value.subscriberId, value.email, value.language, value.ipHash, value.requestedAt];
  if (strings.some((field) => typeof field !== "string") || !Array.isArray(value.series)) {
    throw new Error("Not a subscription request");
  }
  return value as SubscriptionRequestMessage;
};

/** The queue between the public API and the subscription mailer. */
export class SubscriptionRequestQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(request: SubscriptionRequestMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(request) }),
    );
  }
}
