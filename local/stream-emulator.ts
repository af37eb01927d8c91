import { createServer, type IncomingMessage } from "node:http";
import type { DynamoDBRecord } from "aws-lambda";
import { TABLE_KEYS } from "../shared/adapters/dynamodb/table-schema";
import {
  createDynamoDbForwarder,
  endToEndHeaders,
  type ForwardedResponse,
  readBody,
} from "./dynamodb-forwarder";
import { createKeyLock } from "./key-lock";
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from "./local-account";
import { closeServer, listen, urlHost } from "./server-lifecycle";
import { createStreamSubscription, type StreamSubscriber, type StreamSubscription } from "./stream-delivery";
import { createStreamRecordFactory, type Item } from "./stream-records";
import { keysWritten } from "./write-requests";

export type { FilterPattern } from "./event-filter";
export type { StreamDeliveryFailure, StreamSubscriber } from "./stream-delivery";

/**
 * DynamoDB Streams for dynalite: an HTTP proxy in front of it. Each successful write to the table
 * becomes the record AWS would emit, from images read under a per-key lock, so the cost grows
 * with writes and never with the size of the table.
 */
export interface StreamEmulatorOptions {
  /** dynalite's endpoint; every request is forwarded there. */
  target: string;
  /** Only writes to this table produce records. */
  tableName: string;
  host?: string;
  /** A free port when absent or 0. */
  port?: number;
  /** The table's key attributes; TABLE_KEYS when absent. */
  keyAttributes?: readonly string[];
  region?: string;
}

export interface StreamEmulator {
  /** What handlers get as AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  streamArn: string;
  /** Delivers the records of later writes to the subscriber; returns the unsubscribe. */
  subscribe(subscriber: StreamSubscriber): () => void;
  /** Resolves once every write in flight is captured and every subscriber's queue is idle. */
  drained(): Promise<void>;
  /** Stops taking requests, then waits until the records already captured are delivered. */
  stop(): Promise<void>;
}

export const startStreamEmulator = async (options: StreamEmulatorOptions): Promise<StreamEmulator> => {
  const host = options.host ?? "127.0.0.1";
  const region = options.region ?? LOCAL_REGION;
  const table = {
    name: options.tableName,
    keyAttributes: options.keyAttributes ?? [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey],
  };
  const label = new Date().toISOString().slice(0, -1);
  const streamArn = `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:table/${table.name}/stream/${label}`;
  const records = createStreamRecordFactory({ streamArn, region });
  const dynalite = createDynamoDbForwarder(options.target);
  const lock = createKeyLock();
  const subscriptions = new Set<StreamSubscription>();
  const writesInFlight = new Set<Promise<unknown>>();

  /** A consistent read straight from dynalite, so our own reads never produce records. */
  const readItem = async (keys: Item) => {
    const { Item } = await dynalite.call<{ Item?: Item }>("GetItem", {
      TableName: table.name,
      Key: keys,
      ConsistentRead: true,
    });
    return Item;
  };

  const publish = (changes: DynamoDBRecord[]) => {
    if (changes.length === 0) return;
    for (const subscription of subscriptions) subscription.push(changes);
  };

  const writeAndCapture = (keysOfItems: Item[], write: () => Promise<ForwardedResponse>) =>
    lock(
      keysOfItems.map((keys) => JSON.stringify(table.keyAttributes.map((name) => keys[name]))),
      async () => {
        let oldImages: (Item | undefined)[];
        try {
          oldImages = await Promise.all(keysOfItems.map(readItem));
        } catch {
          // A key that cannot be read (malformed, unknown table) makes the write fail the same way.
          return write();
        }
        const response = await write();
        if (response.status !== 200) return response;
        const newImages = await Promise.all(keysOfItems.map(readItem)).catch((error: unknown) => {
          console.error("stream emulator: a write succeeded but its new image could not be read", error);
          return undefined;
        });
        if (!newImages) return response;
        publish(
          keysOfItems.flatMap((keys, index) => {
            const change = { keys, oldImage: oldImages[index], newImage: newImages[index] };
            return records.recordOf(change) ?? [];
          }),
        );
        return response;
      },
    );

  const handle = async (incoming: IncomingMessage): Promise<ForwardedResponse> => {
    const body = await readBody(incoming);
    const write = () => dynalite.forward(incoming.url ?? "/", incoming.headers, body);
    const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const keysOfItems = keysWritten(operation, body, table);
    if (!keysOfItems || keysOfItems.length === 0) return write();
    const captured = writeAndCapture(keysOfItems, write);
    writesInFlight.add(captured);
    return captured.finally(() => writesInFlight.delete(captured));
  };

  const server = createServer((incoming, outgoing) => {
    handle(incoming).then(
      (response) => {
        outgoing.writeHead(response.status, {
          ...endToEndHeaders(response.headers),
          "content-length": response.body.length,
        });
        outgoing.end(response.body);
      },
      (error: unknown) => {
        outgoing.writeHead(502, { "content-type": "application/x-amz-json-1.0" });
        outgoing.end(JSON.stringify({ __type: "LocalProxyError", message: String(error) }));
      },
    );
  });
  const port = await listen(server, options.port ?? 0, host);

  const drained = async () => {
    const busy = () => writesInFlight.size > 0 || [...subscriptions].some((each) => each.isBusy());
    while (busy()) {
      await Promise.allSettled([...writesInFlight, ...[...subscriptions].map((each) => each.idle())]);
    }
  };

  return {
    endpoint: `http://${urlHost(host)}:${port}`,
    streamArn,
    subscribe(subscriber) {
      const subscription = createStreamSubscription(subscriber);
      subscriptions.add(subscription);
      return () => subscriptions.delete(subscription);
    },
    drained,
    async stop() {
      await closeServer(server);
      await drained();
      dynalite.close();
    },
  };
};
