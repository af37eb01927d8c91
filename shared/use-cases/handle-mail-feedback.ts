import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import type { SubscriberKeys } from "../domain/subscriptions/keys";
import { isActive, type Subscriber, subscriberIdFor, tombstoneOf } from "../domain/subscriptions/subscriber";

/** The part of an SES event (configuration-set event publishing, or identity notifications) we act on. */
export interface SesFeedback {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/** The SNS message as SES feedback, or undefined when it is not a JSON object at all. */
export const parseSesFeedback = (message: string): SesFeedback | undefined => {
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as SesFeedback)
      : undefined;
  } catch {
    return undefined;
  }
};

const listOf = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

export interface FeedbackDeps {
  subscribers: SubscriberRepository;
  keys: Pick<SubscriberKeys, "pseudonyms">;
  now?: () => Date;
}

export type FeedbackAction = { email: string; action: "suppress" | "count-transient"; reason: string };

/** What a feedback event means: permanent bounces and complaints suppress, other bounces are counted. */
export const feedbackActions = (feedback: SesFeedback): FeedbackAction[] => {
  const type = feedback.eventType ?? feedback.notificationType;
  if (type === "Complaint") {
    return listOf(feedback.complaint?.complainedRecipients).flatMap(({ emailAddress }) =>
      typeof emailAddress === "string"
        ? [{ email: emailAddress, action: "suppress" as const, reason: "complaint" }]
        : [],
    );
  }
  if (type === "Bounce") {
    const permanent = feedback.bounce?.bounceType === "Permanent";
    return listOf(feedback.bounce?.bouncedRecipients).flatMap(({ emailAddress }) =>
      emailAddress
        ? [
            {
              email: emailAddress,
              action: permanent ? ("suppress" as const) : ("count-transient" as const),
              reason: `bounce:${feedback.bounce?.bounceType ?? "unknown"}`,
            },
          ]
        : [],
    );
  }
  return [];
};

/** Applies SES feedback to the subscribers it names; unknown addresses are ignored. */
export const handleMailFeedback = async (
  deps: FeedbackDeps,
  feedback: SesFeedback,
): Promise<FeedbackAction[]> => {
  const actions = feedbackActions(feedback);
  const now = (deps.now ?? (() => new Date()))();
  for (const action of actions) {
    const subscriber = await deps.subscribers.get(subscriberIdFor(deps.keys, action.email));
    if (!subscriber || subscriber.status === "suppressed") continue;
    let next: Subscriber;
    if (action.action === "suppress") {
      // Only the keyed id stays, so that the address is never mailed again while the tombstone lasts.
      next = tombstoneOf(subscriber, "suppressed", now, action.reason);
    } else if (isActive(subscriber)) {
      next = {
        ...subscriber,
        transientBounces: (subscriber.transientBounces ?? 0) + 1,
        updatedAt: now.toISOString(),
      };
    } else continue;
    await deps.subscribers.save(next, subscriber);
  }
  return actions;
};
