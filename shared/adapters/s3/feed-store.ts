import { createHash } from "node:crypto";
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { FeedFile } from "../../render/feeds/types";

/** Local S3 servers only answer path-style requests; AWS itself takes virtual-hosted ones. */
export const createS3Client = (): S3Client =>
  new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** Puts at once: enough to write a few hundred feeds in seconds without queueing on sockets. */
const PUT_CONCURRENCY = 16;

export const FEED_CACHE_CONTROL = "public, max-age=60";

// With SSE-S3 a single-part object's ETag is the MD5 of its bytes.
const etagOf = (body: string) => `"${createHash("md5").update(body).digest("hex")}"`;

/** Writes rendered feeds to the bucket CloudFront serves; readers revalidate after a minute. */
export class FeedStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Writes the feeds whose bytes changed and leaves the others untouched, so their ETag and
   * Last-Modified stay and readers keep getting 304. Returns how many it wrote.
   */
  async putFeeds(files: FeedFile[]): Promise<number> {
    const stored = await this.storedEtags();
    const changed = files.filter((file) => stored.get(file.key) !== etagOf(file.body));
    for (let start = 0; start < changed.length; start += PUT_CONCURRENCY) {
      await Promise.all(changed.slice(start, start + PUT_CONCURRENCY).map((file) => this.put(file)));
    }
    return changed.length;
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

  private async storedEtags(): Promise<Map<string, string>> {
    const etags = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && object.ETag) etags.set(object.Key, object.ETag);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return etags;
  }
}
