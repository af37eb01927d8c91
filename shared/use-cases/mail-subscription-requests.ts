import type { SubscriberRepository } from "../adapters/dynamodb/subscriber-repository";
import { type Mailer, type OutgoingMail, RejectedError, sendWithBackoff } from "../adapters/ses/mailer";
import type { SubscriptionRequestMessage } from "../adapters/sqs/subscription-requests";
import type { Config } from "../config";
import { ConflictError } from "../domain/errors";
import type { LinkKeyring } from "../domain/subscriptions/keys";
import { subscriptionLink } from "../domain/subscriptions/links";
import {
  type ActiveSubscriber,
  CONFIRMATION_TTL_SECONDS,
  isActive,
} from "../domain/subscriptions/subscriber";
import { renderAlreadySubscribedMail, renderConfirmationMail } from "../render/mail/confirmation-mail";

export interface SubscriptionMailDeps {
  subscribers: SubscriberRepository;
  mailer: Mailer;
  links: LinkKeyring;
  config: Config;
}

export type SubscriptionRequestOutcome = "confirmation" | "already-subscribed" | "suppressed" | "superseded";

/** Sends a mail, or drops it silently when SES refuses the address (the requester must not learn that). */
const sendUnlessRefused = async (deps: SubscriptionMailDeps, mail: OutgoingMail): Promise<void> => {
  try {
    await sendWithBackoff(deps.mailer, mail);
  } catch (error) {
    if (!(error instanceof RejectedError)) throw error;
  }
};

const sender = (config: Config) => ({
  organisation: config.organisationName,
  postalAddress: config.postalAddress,
});

/** A subscribed address asked again: its owner learns where to change language or series. */
const tellAlreadySubscribed = async (deps: SubscriptionMailDeps, subscriber: ActiveSubscriber) => {
  const { publicUrl } = deps.config;
  const mail = renderAlreadySubscribedMail({
    language: subscriber.language,
    manageUrl: subscriptionLink(publicUrl, deps.links, "manage", subscriber),
    unsubscribeUrl: subscriptionLink(publicUrl, deps.links, "unsubscribe", subscriber),
    sender: sender(deps.config),
  });
  await sendUnlessRefused(deps, {
    ...mail,
    to: subscriber.email,
    tags: { kind: "already-subscribed", subscriber: subscriber.id },
  });
};

const sendConfirmation = async (
  deps: SubscriptionMailDeps,
  pending: ActiveSubscriber & { expiresAt: number },
) => {
  const { publicUrl } = deps.config;
  const mail = renderConfirmationMail({
    language: pending.language,
    confirmUrl: subscriptionLink(publicUrl, deps.links, "confirm", pending, pending.expiresAt),
    manageUrl: subscriptionLink(publicUrl, deps.links, "manage", pending),
    expiresAt: new Date(pending.expiresAt * 1000).toISOString(),
    sender: sender(deps.config),
  });
  await sendUnlessRefused(deps, {
    ...mail,
    to: pending.email,
    tags: { kind: "confirmation", subscriber: pending.id },
  });
};

/**
 * Acts on one queued subscription request: a suppressed address gets nothing, a confirmed one
 * its manage link, anyone else a pending record and a confirmation mail. A redelivered message
 * finds its own pending record and sends the same mail again (the same link, so a rare
 * duplicate is harmless) rather than none; a newer request for the address supersedes it.
 */
export const takeSubscriptionRequest = async (
  deps: SubscriptionMailDeps,
  request: SubscriptionRequestMessage,
  attempts = 3,
): Promise<SubscriptionRequestOutcome> => {
  const existing = await deps.subscribers.get(request.subscriberId);
  if (existing?.status === "suppressed") return "suppressed";
  if (existing?.status === "confirmed") {
    await tellAlreadySubscribed(deps, existing);
    return "already-subscribed";
  }
  if (existing && isActive(existing) && existing.consent.subscribedAt >= request.requestedAt) {
    if (existing.consent.subscribedAt > request.requestedAt) return "superseded";
    await sendConfirmation(deps, existing as ActiveSubscriber & { expiresAt: number });
    return "confirmation";
  }
  const requestedAt = new Date(request.requestedAt);
  const pending: ActiveSubscriber & { expiresAt: number } = {
    id: request.subscriberId,
    email: request.email,
    language: request.language,
    series: request.series,
    status: "pending",
    createdAt: existing && isActive(existing) ? existing.createdAt : request.requestedAt,
    updatedAt: new Date().toISOString(),
    // After an unsubscribe this goes on from the tombstone's version: links mailed before stay revoked.
    linkVersion: existing?.linkVersion ?? 1,
    expiresAt: Math.floor(requestedAt.getTime() / 1000) + CONFIRMATION_TTL_SECONDS,
    consent: {
      subscribedAt: request.requestedAt,
      language: request.language,
      source: "api",
      subscribeIpHash: request.ipHash,
    },
  };
  try {
    await deps.subscribers.save(pending, existing);
  } catch (error) {
    // Another request for the address was taken meanwhile: decide again on what it left.
    if (error instanceof ConflictError && attempts > 1)
      return takeSubscriptionRequest(deps, request, attempts - 1);
    throw error;
  }
  await sendConfirmation(deps, pending);
  return "confirmation";
};
