import { timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { HttpError } from "./errors";

/**
 * CloudFront adds this header, with a secret value, to every request it passes to the API; a
 * viewer cannot set it (CloudFront overwrites a custom origin header of the same name). The
 * public API answers only requests that carry it, so nobody can skip CloudFront by calling the
 * execute-api endpoint directly, and so the viewer address below can be trusted.
 */
export const ORIGIN_SECRET_HEADER = "x-origin-verify";

/** Added by CloudFront (origin request policy): the viewer's own address and port, never what the viewer sent. */
export const VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address";

const same = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Refuses (403) a request that did not come through our CloudFront distribution. */
export const requireOriginSecret =
  (secret: string) =>
  (_event: APIGatewayProxyEventV2, headers: Record<string, string>): void => {
    if (!same(headers[ORIGIN_SECRET_HEADER] ?? "", secret)) {
      throw new HttpError(403, "This API answers only through the site's own address");
    }
  };

/**
 * The client's IP address: CloudFront's `CloudFront-Viewer-Address` (`203.0.113.7:46532`,
 * `2001:db8::1:46532`) without its port. X-Forwarded-For is never read: its first entry is
 * whatever the client chose to send.
 */
export const viewerIp = (event: APIGatewayProxyEventV2, headers: Record<string, string>): string => {
  const viewer = headers[VIEWER_ADDRESS_HEADER];
  const portAt = viewer?.lastIndexOf(":") ?? -1;
  return viewer && portAt > 0 ? viewer.slice(0, portAt) : event.requestContext.http.sourceIp;
};
