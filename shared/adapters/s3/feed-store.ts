import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { FeedFile } from "../../domain/feeds/types";

/** Local S3 servers only answer path-style requests; AWS itself takes virtual-hosted ones. */
export const createS3Client = (): S3Client =>
  new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** Writes rendered feeds to the bucket CloudFront serves; readers revalidate after a minute. */
export class FeedStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putFeeds(files: FeedFile[]): Promise<void> {
    await Promise.all(
      files.map((file) =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: file.key,
            Body: file.body,
            ContentType: file.contentType,
            CacheControl: "public, max-age=60",
          }),
        ),
      ),
    );
  }
}
