import { createHash } from "node:crypto";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import type { FeedFile } from "../../render/feeds/types";

/** Local S3 servers only answer path-style requests; AWS itself takes virtual-hosted ones. */
export const createS3Client = (): S3Client =>
  new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** Puts at once: enough to write a few hundred feeds in seconds without queueing on sockets. */
const PUT_CONCURRENCY = 16;

export const FEED_CACHE_CONTROL = "public, max-age=60";

export interface StoreWrites {
  written: string[];
  /** Bytes written. */
  bytes: number;
  deleted: string[];
}

/** PUT_CONCURRENCY calls under way at a time: the next starts as soon as one ends, not when a whole batch has. */
const eachAtMost = async <T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, items.length) }, worker));
};

/** DeleteObjects takes at most 1,000 keys a call; a listing page holds as many. */
export const KEYS_PER_CALL = 1000;

/** An object as the bucket's listing names it: its key and when it was last written (whole seconds). */
export interface ListedObject {
  key: string;
  lastModified?: Date;
}

// With SSE-S3 a single-part object's ETag is the MD5 of its bytes.
const etagOf = (body: string) => `"${createHash("md5").update(body).digest("hex")}"`;

/** ETags a warm publisher remembers: the files of one change and a good part of a rebuild's, a few MB. */
const KNOWN_ETAGS = 20_000;

/** Writes rendered feeds to the bucket CloudFront serves; readers revalidate after a minute. */
export class FeedStore {
  /**
   * The ETag this store last read or wrote for each key, most recent last. Only ever a reason to
   * write: bytes that differ from what the bucket held when last seen are written without asking
   * it again (at worst the same bytes another writer already put there are written once more);
   * bytes equal to it are checked with HeadObject, since another writer may have changed the object.
   */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Writes the files whose bytes differ from the stored object's (one HeadObject per file, never a
   * listing of the bucket, and none for a file already seen with other bytes) and deletes the
   * given keys that exist. Reports what it wrote and deleted.
   */
  async writeChanged(files: readonly FeedFile[], deletions: readonly string[] = []): Promise<StoreWrites> {
    const result: StoreWrites = { written: [], bytes: 0, deleted: [] };
    await eachAtMost(files, async (file) => {
      const etag = etagOf(file.body);
      const seen = this.known.get(file.key);
      if (seen === undefined || seen === etag) {
        const stored = await this.etag(file.key);
        this.remember(file.key, stored);
        if (stored === etag) return;
      }
      await this.put(file);
      this.remember(file.key, etag);
      result.written.push(file.key);
      result.bytes += Buffer.byteLength(file.body);
    });
    await eachAtMost(deletions, async (key) => {
      if ((await this.etag(key)) === undefined) return;
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      this.known.delete(key);
      result.deleted.push(key);
    });
    result.written.sort();
    result.deleted.sort();
    return result;
  }

  /** Whether an object exists. */
  async has(key: string): Promise<boolean> {
    return (await this.etag(key)) !== undefined;
  }

  /** The keys under a prefix (a folder of a few hundred small files at most, such as the sitemap's parts). */
  async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /**
   * The whole bucket, one listing page (up to 1,000 keys, no bodies) at a time. Only a rebuild reads
   * it, to find what it did not render; a change never lists the bucket.
   */
  async *listEverything(): AsyncGenerator<ListedObject[]> {
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: KEYS_PER_CALL },
      { Bucket: this.bucket },
    );
    for await (const page of pages) {
      yield (page.Contents ?? []).flatMap((object) =>
        object.Key ? [{ key: object.Key, lastModified: object.LastModified }] : [],
      );
    }
  }

  /** Deletes the keys, KEYS_PER_CALL a call; a key S3 could not delete fails the whole call. */
  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_CALL) {
      const slice = keys.slice(start, start + KEYS_PER_CALL);
      for (const key of slice) this.known.delete(key);
      const objects = slice.map((key) => ({ Key: key }));
      const answer = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      const [first, ...others] = answer.Errors ?? [];
      if (first) {
        throw new Error(
          `S3 could not delete ${first.Key} (${first.Code}: ${first.Message}) and ${others.length} other key(s)`,
        );
      }
    }
  }

  private remember(key: string, etag: string | undefined): void {
    this.known.delete(key);
    if (etag === undefined) return;
    this.known.set(key, etag);
    if (this.known.size > KNOWN_ETAGS) this.known.delete(this.known.keys().next().value as string);
  }

  private async etag(key: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ETag;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === "NotFound") return undefined;
      throw error;
    }
  }

  private async put(file: FeedFile): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: file.key,
        Body: file.body,
        ContentType: file.contentType,
        CacheControl: file.cacheControl ?? FEED_CACHE_CONTROL,
      }),
    );
  }
}
