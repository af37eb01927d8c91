import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Checksum, SourceData } from "@smithy/types";

/** SHA-256 (or HMAC-SHA-256 with a secret) for the SigV4 signer, from node:crypto. */
class Sha256 implements Checksum {
  private hash;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret ? createHmac("sha256", Buffer.from(this.secret as Uint8Array)) : createHash("sha256");
  }
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export type EditorAuth =
  | { kind: "bearer"; token: string }
  | { kind: "sigv4"; region: string; credentials: () => Promise<AwsCredentialIdentity> };

export interface EditorRequest {
  method: string;
  /** e.g. `/api/admin/events/123/publish` */
  path: string;
  body?: string;
}

/**
 * The headers an editor's request needs: a bearer token for the local stack, or a SigV4
 * signature (service execute-api) for the deployed API, whose admin routes use IAM auth.
 */
export const authorizedHeaders = async (
  baseUrl: string,
  request: EditorRequest,
  auth: EditorAuth,
  now = new Date(),
): Promise<Record<string, string>> => {
  const url = new URL(request.path, baseUrl);
  const headers: Record<string, string> = {
    host: url.host,
    ...(request.body ? { "content-type": "application/json" } : {}),
  };
  if (auth.kind === "bearer") return { ...headers, authorization: `Bearer ${auth.token}` };
  const signer = new SignatureV4({
    service: "execute-api",
    region: auth.region,
    credentials: auth.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate: now },
  );
  return signed.headers as Record<string, string>;
};
