/**
 * Counts the AWS API calls that reach the local servers, at the wire. Node publishes every request
 * an in-process HTTP server receives on the `http.server.*` diagnostics channels, so the count
 * needs no change to product code, to the handlers' clients or to their endpoints: a request is
 * attributed to a service by the port of the server that received it, and to an operation by its
 * X-Amz-Target header (DynamoDB, SQS), its path (SES v2) or its method (S3).
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * `dynamodb` is the stream emulator's port, where the handlers send every DynamoDB call;
 * `dynalite` is dynalite's own, which also gets the emulator's reads of old and new images.
 */
export type Service = "dynamodb" | "dynalite" | "sqs" | "ses" | "s3";

export interface WireCall {
  service: Service;
  operation: string;
}

const DYNAMODB_READS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);
const DYNAMODB_WRITES = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

export const isDynamoDbRead = (operation: string): boolean => DYNAMODB_READS.has(operation);
export const isDynamoDbWrite = (operation: string): boolean => DYNAMODB_WRITES.has(operation);

const S3_OPERATIONS: Record<string, string> = {
  GET: "GetObject",
  PUT: "PutObject",
  HEAD: "HeadObject",
  DELETE: "DeleteObject",
};

const VIEWER_ROUTES = new Set(["/", "/store", "/clear-store", "/health-check", "/get-emlContent"]);

/** The operation a request asks for; undefined for the mail viewer's own routes (the bench's reads). */
const operationOf = (service: Service, request: IncomingMessage): string | undefined => {
  const target = request.headers["x-amz-target"];
  switch (service) {
    case "dynamodb":
    case "dynalite":
    case "sqs":
      return String(target ?? "unknown")
        .split(".")
        .pop();
    case "ses": {
      const path = (request.url ?? "").split("?")[0];
      if (path === "/v2/email/outbound-emails") return "SendEmail";
      if (path === "/v2/email/outbound-bulk-emails") return "SendBulkEmail";
      if (path === "/" && request.method === "POST") return "SES v1 API";
      // The mail viewer's own routes are the bench reading the store, not calls of the product.
      return VIEWER_ROUTES.has(path ?? "") ? undefined : `${request.method} ${path}`;
    }
    case "s3":
      return S3_OPERATIONS[request.method ?? ""] ?? request.method;
  }
};

export interface WireCounter {
  /** Calls per `service operation` since the last reset, the bench's own SES viewer reads left out. */
  counts(): Map<string, number>;
  reset(): void;
  /** When the latest call other than an SQS ReceiveMessage arrived (performance.now()). */
  lastBusyAt(): number;
  /** Called for every answered call, e.g. to note when SES accepted the Nth mail. */
  onAnswer(listener: (call: WireCall, status: number) => void): () => void;
  close(): void;
}

interface ServerMessage {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

/** Starts counting requests to the servers listening on these ports. */
export const countCallsAtTheWire = (ports: Record<Service, number>): WireCounter => {
  const serviceByPort = new Map(Object.entries(ports).map(([service, port]) => [port, service as Service]));
  let counts = new Map<string, number>();
  let lastBusyAt = performance.now();
  const listeners = new Set<(call: WireCall, status: number) => void>();

  // server.address() is a system call: look each server up once.
  const serviceByServer = new WeakMap<Server, Service | undefined>();
  const serviceOf = (server: Server): Service | undefined => {
    if (!serviceByServer.has(server)) {
      const address = server.address() as AddressInfo | null;
      serviceByServer.set(server, address ? serviceByPort.get(address.port) : undefined);
    }
    return serviceByServer.get(server);
  };

  const callOf = (message: ServerMessage): WireCall | undefined => {
    const service = serviceOf(message.server);
    if (!service) return undefined;
    const operation = operationOf(service, message.request);
    return operation ? { service, operation } : undefined;
  };

  const onStart = (message: unknown) => {
    const call = callOf(message as ServerMessage);
    if (!call) return;
    const key = `${call.service} ${call.operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (call.operation !== "ReceiveMessage") lastBusyAt = performance.now();
  };
  const onFinish = (message: unknown) => {
    if (listeners.size === 0) return;
    const call = callOf(message as ServerMessage);
    if (!call) return;
    for (const listener of listeners) listener(call, (message as ServerMessage).response.statusCode);
  };
  subscribe("http.server.request.start", onStart);
  subscribe("http.server.response.finish", onFinish);

  return {
    counts: () => new Map(counts),
    reset: () => {
      counts = new Map();
    },
    lastBusyAt: () => lastBusyAt,
    onAnswer(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      unsubscribe("http.server.request.start", onStart);
      unsubscribe("http.server.response.finish", onFinish);
    },
  };
};

/** The port of an endpoint URL such as http://127.0.0.1:4567. */
export const portOf = (endpoint: string): number => Number(new URL(endpoint).port);
