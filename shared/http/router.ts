import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { HttpError } from "./errors";

export interface HttpRequest {
  method: string;
  path: string;
  /** Values of `{name}` segments in the route's path. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON for routes that take a body, the raw text for `form` routes, otherwise undefined. */
  body: unknown;
  event: APIGatewayProxyEventV2;
}

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are (set the content type). */
  body?: unknown;
}

export type BodyKind = "none" | "json" | "form";

export interface Route {
  method: string;
  /** e.g. `/api/admin/events/{id}/publish` */
  path: string;
  body?: BodyKind;
  /** Bodies over this many bytes get 413 before anything parses them; 256 KiB when absent. */
  maxBodyBytes?: number;
  handle: (request: HttpRequest) => Promise<HttpResponse>;
}

const splitPath = (path: string): string[] => path.split("/").filter(Boolean);

/** Ids and slugs: anything else cannot name a stored item (and would exceed DynamoDB's key limits). */
const PATH_PARAM = /^[\w.~-]{1,200}$/;

const decodeParam = (value: string): string | undefined => {
  try {
    const decoded = decodeURIComponent(value);
    return PATH_PARAM.test(decoded) ? decoded : undefined;
  } catch {
    return undefined; // malformed percent-encoding
  }
};

const matchPath = (pattern: string[], actual: string[]): Record<string, string> | undefined => {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const value = actual[index] as string;
    if (part.startsWith("{") && part.endsWith("}")) {
      const decoded = decodeParam(value);
      if (decoded === undefined) return undefined;
      params[part.slice(1, -1)] = decoded;
    } else if (part !== value) return undefined;
  }
  return params;
};

/** Finds the route for a request: 404 when no path matches, 405 (with Allow) when only the method is wrong. */
export const findRoute = (
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } => {
  const actual = splitPath(path);
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = matchPath(splitPath(route.path), actual);
    if (!params) continue;
    if (route.method === method || (method === "HEAD" && route.method === "GET")) return { route, params };
    allowed.add(route.method);
  }
  if (allowed.size === 0) throw new HttpError(404, `No such resource: ${path}`);
  throw new HttpError(405, `Method ${method} is not allowed here`, { Allow: [...allowed].join(", ") });
};
