import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpSecurityHeaders from "@middy/http-security-headers";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { logger } from "../observability/logger";
import { PAGE_CSP_DIRECTIVES } from "../render/pages/page-shell";
import { toErrorResponse } from "./errors";
import { readRequestBody } from "./request-body";
import { findRoute, type HttpRequest, type HttpResponse, type Route } from "./router";

export interface HttpHandlerOptions {
  routes: Route[];
  /** Runs before routing; throws an HttpError (401/403) to refuse the request. */
  authorize?: (event: APIGatewayProxyEventV2, headers: Record<string, string>) => void;
  /** Set for APIs that serve HTML pages with forms; JSON-only APIs keep the strict default policy. */
  servesPages?: boolean;
}

/**
 * middy merges these over its strict defaults: the pages' own policy, forms allowed in the
 * sandbox, and no https upgrade (local runs are plain http; CloudFront redirects anyway).
 * middy's types want strings; false drops a directive.
 */
const PAGE_SECURITY_HEADERS = {
  contentSecurityPolicy: {
    ...PAGE_CSP_DIRECTIVES,
    sandbox: "allow-forms",
    "report-to": false as unknown as string,
    "upgrade-insecure-requests": false as unknown as string,
  },
};

const toResult = (response: HttpResponse): APIGatewayProxyStructuredResultV2 => {
  const isText = typeof response.body === "string";
  const headers: Record<string, string> = {
    ...(response.body === undefined
      ? {}
      : { "Content-Type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8" }),
    ...response.headers,
  };
  return {
    statusCode: response.statusCode,
    headers,
    body:
      response.body === undefined ? "" : isText ? (response.body as string) : JSON.stringify(response.body),
  };
};

const lowerCaseHeaders = (headers: APIGatewayProxyEventV2["headers"]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), value]],
    ),
  );

/** Maps any error to the one JSON error shape; 5xx are logged with their cause, 4xx are not noise. */
const errorResponses = (): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
> => ({
  onError: async (request) => {
    const mapped = toErrorResponse(request.error);
    if (mapped.statusCode >= 500) logger.error("Request failed", { error: request.error as Error });
    request.response = toResult({
      statusCode: mapped.statusCode,
      headers: mapped.headers,
      body: mapped.body,
    });
  },
});

/**
 * A Lambda handler for API Gateway HTTP API (payload v2) events that routes to `routes`.
 * Handlers stay thin: they get a parsed request and return a status and a JSON body.
 */
export const httpHandler = ({ routes, authorize, servesPages = false }: HttpHandlerOptions) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders(servesPages ? PAGE_SECURITY_HEADERS : {}))
    .use(errorResponses())
    .handler(async (event) => {
      const headers = lowerCaseHeaders(event.headers);
      authorize?.(event, headers);
      const method = event.requestContext.http.method.toUpperCase();
      const path = event.rawPath;
      const { route, params } = findRoute(routes, method, path);
      const request: HttpRequest = {
        method,
        path,
        params,
        query: Object.fromEntries(
          Object.entries(event.queryStringParameters ?? {}).flatMap(([name, value]) =>
            value === undefined ? [] : [[name, value]],
          ),
        ),
        headers,
        body: readRequestBody(event, route.body ?? "none", headers, route.maxBodyBytes),
        event,
      };
      const response = await route.handle(request);
      return toResult(method === "HEAD" ? { ...response, body: undefined } : response);
    });
