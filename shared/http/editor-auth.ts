import { timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { HttpError } from "./errors";

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Editors are let in when API Gateway verified a SigV4 signature (deployed: the admin routes
 * use the IAM authorizer) or, where a token is configured (local runs), with `Bearer <token>`.
 * Anything else is refused, so no admin route is ever open.
 */
export const authorizeEditor =
  (adminToken: string | undefined) =>
  (event: APIGatewayProxyEventV2, headers: Record<string, string>): void => {
    const context = event.requestContext as APIGatewayProxyEventV2["requestContext"] & {
      authorizer?: { iam?: { userArn?: string } };
    };
    if (context.authorizer?.iam?.userArn) return;
    const authorization = headers.authorization;
    if (!authorization) {
      throw new HttpError(401, "Authentication required", { "WWW-Authenticate": 'Bearer realm="eventcast"' });
    }
    const token = /^Bearer\s+(\S.*)$/i.exec(authorization)?.[1]?.trim();
    if (!adminToken || !token || !sameSecret(token, adminToken)) {
      throw new HttpError(403, "These credentials are not allowed to edit events");
    }
  };
