import { Agent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import { LOCAL_REGION } from "./local-account";

export interface ForwardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw DynamoDB JSON-protocol traffic to one dynalite, over kept-alive connections. */
export interface DynamoDbForwarder {
  /** Sends a client's request on as it came, and buffers the answer. */
  forward(path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<ForwardedResponse>;
  /** Calls an operation on our own behalf; throws on an error answer. */
  call<T>(operation: string, payload: unknown): Promise<T>;
  close(): void;
}

// Hop-by-hop headers belong to each connection, not to the proxied message.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

export const createDynamoDbForwarder = (target: string): DynamoDbForwarder => {
  const agent = new Agent({ keepAlive: true });

  const forward = (path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<ForwardedResponse> =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, target),
        { method: "POST", headers: { ...endToEndHeaders(headers), "content-length": body.length }, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });

  return {
    forward,
    async call<T>(operation: string, payload: unknown) {
      const response = await forward("/", ownRequestHeaders(operation), Buffer.from(JSON.stringify(payload)));
      const parsed = JSON.parse(response.body.toString()) as T & { message?: string };
      if (response.status !== 200)
        throw new Error(`${operation} failed: ${response.status} ${parsed.message ?? ""}`);
      return parsed;
    },
    close: () => agent.destroy(),
  };
};

export const endToEndHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

export const readBody = async (incoming: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const ownRequestHeaders = (operation: string): IncomingHttpHeaders => ({
  "content-type": "application/x-amz-json-1.0",
  "x-amz-target": `DynamoDB_20120810.${operation}`,
  "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""),
  // dynalite checks that a SigV4 header is there, not what it says.
  authorization: `AWS4-HMAC-SHA256 Credential=local/20000101/${LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
});
