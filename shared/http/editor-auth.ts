import { timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isListedPrincipal } from "../domain/principals";
import { HttpError } from "./errors";

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface AdminAccess {
  /** Local runs only: the bearer token that may do everything. */
  adminToken?: string;
  /** Deployed: principals that may edit and publish events and series. */
  editors: readonly string[];
  /** Deployed: principals that may erase a person (the erasure routes). */
  privacyOperators: readonly string[];
  /** Paths only privacy operators may call. */
  privacyPaths: readonly string[];
}

/**
 * Deployed, API Gateway's IAM authorizer has verified a SigV4 signature: the caller is let in if
 * it is listed for what it asks (editors, or privacy operators for erasures). Locally, where a
 * token is configured, `Bearer <token>` may do everything. Anything else is refused, so no admin
 * route is ever open, and an empty list means nobody.
 */
export const authorizeAdmin =
  (access: AdminAccess) =>
  (event: APIGatewayProxyEventV2, headers: Record<string, string>): void => {
    const context = event.requestContext as APIGatewayProxyEventV2["requestContext"] & {
      authorizer?: { iam?: { userArn?: string } };
    };
    const caller = context.authorizer?.iam?.userArn;
    if (caller) {
      const privacy = access.privacyPaths.some((path) => event.rawPath.startsWith(path));
      const allowed = privacy ? access.privacyOperators : access.editors;
      if (isListedPrincipal(caller, allowed)) return;
      throw new HttpError(
        403,
        privacy
          ? "This principal is not a privacy operator of eventcast (deploy context privacyOperators)"
          : "This principal is not an editor of eventcast (deploy context editors)",
      );
    }
    const authorization = headers.authorization;
    if (!authorization) {
      throw new HttpError(401, "Authentication required", { "WWW-Authenticate": 'Bearer realm="eventcast"' });
    }
    const token = /^Bearer\s+(\S.*)$/i.exec(authorization)?.[1]?.trim();
    if (!access.adminToken || !token || !sameSecret(token, access.adminToken)) {
      throw new HttpError(403, "These credentials are not allowed to edit events");
    }
  };
