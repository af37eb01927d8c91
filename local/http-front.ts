import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { PAGE_CONTENT_SECURITY_POLICY } from "../shared/render/pages/page-shell";
import { localLambdaContext } from "./lambda-context";
import { directoryRedirectFor, NOT_FOUND_KEY, staticKeyFor } from "./static-paths";

/** A Lambda behind API Gateway HTTP API (payload format 2.0). */
export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HttpFrontOptions {
  port: number;
  host?: string;
  /** Path prefix → handler, longest prefix first; what no prefix claims is a static file. */
  routes: { prefix: string; handler: HttpLambda }[];
  s3: S3Client;
  bucket: string;
  /** Headers CloudFront adds to every request it passes to the API (its custom origin headers). */
  originHeaders?: Record<string, string>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's own limit
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml))/i;

const readBody = async (request: IncomingMessage): Promise<Buffer | "too-large"> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/**
 * The event API Gateway would build for this request as CloudFront passed it on: CloudFront sets
 * CloudFront-Viewer-Address to the address it saw and adds its origin headers, overwriting
 * whatever the client sent under those names.
 */
export const toApiGatewayEvent = (
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  originHeaders: Record<string, string> = {},
): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  headers["cloudfront-viewer-address"] =
    `${request.socket.remoteAddress ?? "127.0.0.1"}:${request.socket.remotePort ?? 0}`;
  for (const [name, value] of Object.entries(originHeaders)) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const method = (request.method ?? "GET").toUpperCase();
  const now = new Date();
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "text/plain");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: url.search ? query : undefined,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : body.toString(isText ? "utf8" : "base64"),
    isBase64Encoded: body.length > 0 && !isText,
  };
};

const sendResult = (response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(
    result.body ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8") : undefined,
  );
};

const sendJson = (
  response: ServerResponse,
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): void => {
  response.writeHead(statusCode, { ...headers, "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify({ message }));
};

/**
 * s3rver rewrites an object in place, so a read racing a rewrite can be cut off or stall mid-body
 * (S3 itself never does that): each attempt gets a deadline, and a failed one is retried.
 */
const ATTEMPT_DEADLINE_MS = 500;

const readWithin = (body: { transformToByteArray(): Promise<Uint8Array> } | undefined, signal: AbortSignal) =>
  new Promise<Buffer>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    (body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())).then(
      (bytes) => resolve(Buffer.from(bytes)),
      reject,
    );
  });

const getObject = async (s3: S3Client, bucket: string, key: string, attempts = 5) => {
  for (let attempt = 1; ; attempt++) {
    try {
      const abortSignal = AbortSignal.timeout(ATTEMPT_DEADLINE_MS);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      const bytes = await readWithin(object.Body, abortSignal);
      return { ...object, bytes };
    } catch (error) {
      if (isMissing(error) || attempt >= attempts) throw error;
    }
  }
};

/** What CloudFront's response headers policy adds to every static file (infra/constructs/feeds.ts). */
const STATIC_HEADERS = {
  "content-security-policy": PAGE_CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  // Feeds are public data for any site.
  "access-control-allow-origin": "*",
};

/** Missing objects, and keys S3 refuses outright (4xx): both are pages that do not exist. */
const isMissing = (error: unknown): boolean => {
  const { name, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode ?? 0;
  return name === "NoSuchKey" || name === "NotFound" || (status >= 400 && status < 500);
};

/** The HTML 404 page the site published, with status 404; plain JSON when no site is published. */
const sendNotFound = async (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  s3: S3Client,
  bucket: string,
): Promise<void> => {
  try {
    const { bytes, ContentType } = await getObject(s3, bucket, NOT_FOUND_KEY);
    response.writeHead(404, {
      ...STATIC_HEADERS,
      "content-type": ContentType ?? "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-length": String(bytes.length),
    });
    response.end(request.method === "HEAD" ? undefined : bytes);
  } catch (error) {
    if (!isMissing(error)) throw error;
    sendJson(response, 404, `Not found: ${url.pathname.slice(0, 200)}`);
  }
};

/**
 * Serves the bucket the way CloudFront does: a folder's index.html, ETag, Last-Modified, 304 on a
 * conditional GET, the site's 404 page for anything else. Never a bucket listing.
 */
const serveStatic = async (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  s3: S3Client,
  bucket: string,
): Promise<void> => {
  if (request.method !== "GET" && request.method !== "HEAD")
    return sendJson(response, 405, "Method not allowed: the site and the feeds are read with GET", {
      allow: "GET, HEAD",
    });
  const redirect = directoryRedirectFor(url.pathname, url.search);
  if (redirect !== undefined) {
    response.writeHead(301, { ...STATIC_HEADERS, location: redirect, "content-length": "0" });
    return void response.end();
  }
  const key = staticKeyFor(url.pathname);
  if (key === undefined) return sendNotFound(request, response, url, s3, bucket);
  let object: Awaited<ReturnType<typeof getObject>>;
  try {
    object = await getObject(s3, bucket, key);
  } catch (error) {
    if (isMissing(error)) return sendNotFound(request, response, url, s3, bucket);
    throw error;
  }
  const etag = object.ETag ?? "";
  const lastModified = object.LastModified?.toUTCString() ?? "";
  const headers = {
    ...STATIC_HEADERS,
    etag,
    "last-modified": lastModified,
    "cache-control": object.CacheControl ?? "no-cache",
    "content-type": object.ContentType ?? "application/octet-stream",
  };
  const ifNoneMatch = request.headers["if-none-match"];
  const ifModifiedSince = request.headers["if-modified-since"];
  const notModified = ifNoneMatch
    ? ifNoneMatch
        .split(",")
        .map((tag) => tag.trim())
        .includes(etag)
    : ifModifiedSince !== undefined &&
      object.LastModified !== undefined &&
      Math.floor(object.LastModified.getTime() / 1000) <= Math.floor(Date.parse(ifModifiedSince) / 1000);
  if (notModified) {
    response.writeHead(304, {
      etag,
      "last-modified": lastModified,
      "cache-control": headers["cache-control"],
    });
    return void response.end();
  }
  const { bytes } = object;
  response.writeHead(200, { ...headers, "content-length": String(bytes.length) });
  response.end(request.method === "HEAD" ? undefined : bytes);
};

/**
 * The request's URL. The target is always read as a path on this host (`//x` stays a path), and a
 * Host header that is no host name falls back to localhost; an unreadable target has no URL.
 */
const requestUrl = (request: IncomingMessage): URL | undefined => {
  const target = request.url ?? "/";
  if (!target.startsWith("/")) return undefined;
  const host = /^[\w.-]+(:\d+)?$|^\[[\d:a-f.]+\](:\d+)?$/i.test(request.headers.host ?? "")
    ? request.headers.host
    : "localhost";
  try {
    return new URL(`http://${host}${target}`);
  } catch {
    return undefined;
  }
};

/** The local stand-in for CloudFront + API Gateway, feeding the very same handlers. */
export const startHttpFront = async (
  options: HttpFrontOptions,
): Promise<{ url: string; server: Server; stop: () => Promise<void> }> => {
  const routes = [...options.routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer(async (request, response) => {
    try {
      const url = requestUrl(request);
      if (!url) return sendJson(response, 400, "The request target is not a path");
      const route = routes.find(
        ({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`),
      );
      if (!route) return await serveStatic(request, response, url, options.s3, options.bucket);
      const body = await readBody(request);
      if (body === "too-large") return sendJson(response, 413, "Request Entity Too Large");
      const result = await route.handler(
        toApiGatewayEvent(request, url, body, options.originHeaders),
        localLambdaContext(`api${route.prefix.replaceAll("/", "-")}`),
      );
      sendResult(response, result);
    } catch (error) {
      console.error("local front:", error);
      if (!response.headersSent) sendJson(response, 500, "Internal Server Error");
      else response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
