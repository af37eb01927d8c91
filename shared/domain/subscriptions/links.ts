import type { LinkKeyring } from "./keys";
import type { Subscriber } from "./subscriber";
import { signToken, type TokenPurpose } from "./tokens";

/** The public URLs a subscriber's mail and pages point at, each carrying a signed token. */
export const SUBSCRIPTION_PATHS: Record<TokenPurpose, string> = {
  confirm: "/api/subscriptions/confirm",
  unsubscribe: "/api/subscriptions/unsubscribe",
  manage: "/api/subscriptions/manage",
};

/** A subscriber's link for one purpose, signed with the ring's current key and their link version. */
export const subscriptionLink = (
  publicUrl: string,
  keyring: LinkKeyring,
  purpose: TokenPurpose,
  subscriber: Pick<Subscriber, "id" | "linkVersion">,
  expiresAt?: number,
): string => {
  const token = signToken(keyring, {
    purpose,
    subscriberId: subscriber.id,
    version: subscriber.linkVersion,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
  return `${publicUrl}${SUBSCRIPTION_PATHS[purpose]}?token=${token}`;
};

/** The .ics of one event, served by the public API, its texts in `language` (or their fallback). */
export const calendarLink = (publicUrl: string, eventId: string, language: string): string =>
  `${publicUrl}/api/events/${encodeURIComponent(eventId)}/calendar.ics?lang=${encodeURIComponent(language)}`;
