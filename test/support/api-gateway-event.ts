import type { APIGatewayProxyEventV2, Context } from "aws-lambda";

/** A real-shaped API Gateway HTTP API (payload 2.0) event, as the deployed handlers receive it. */
export const apiGatewayEvent = (
  method: string,
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    iamUserArn?: string;
  } = {},
): APIGatewayProxyEventV2 => {
  const query = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: "api.example.org",
      ...(options.body ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    queryStringParameters: options.query,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.org",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
      requestId: "request-1",
      routeKey: "$default",
      stage: "$default",
      time: "14/Dec/2020:10:00:00 +0000",
      timeEpoch: 1607940000000,
      ...(options.iamUserArn ? { authorizer: { iam: { userArn: options.iamUserArn } } } : {}),
    },
    body: options.body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
};

/** A Lambda context without getRemainingTimeInMillis, so middy starts no timeout timer in tests. */
export const testContext = { functionName: "test", awsRequestId: "request-1" } as unknown as Context;
