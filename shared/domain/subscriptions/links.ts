import { signToken, type TokenPurpose } from "./tokens";

/** The public URLs a subscriber's mail and pages point at, each carrying a signed token. */
export const SUBSCRIPTION_PATHS: Record<TokenPurpose, string> = {
  confirm: "/api/subscriptions/confirm",
  unsubscribe: "/api/subscriptions/unsubscribe",
  manage: "/api/subscriptions/manage",
};

export const subscriptionLink = (
  publicUrl: string,
  secret: string,
  purpose: TokenPurpose,
  subscriberId: string,
  expiresAt?: number,
): string => {
  const token = signToken(secret, { purpose, subscriberId, ...(expiresAt ? { expiresAt } : {}) });
  return `${publicUrl}${SUBSCRIPTION_PATHS[purpose]}?token=${token}`;
};

/** The .ics of one event, served by the public API. */
export const calendarLink = (publicUrl: string, eventId: string): string =>
  `${publicUrl}/api/events/${encodeURIComponent(eventId)}/calendar.ics`;
