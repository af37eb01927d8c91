/** The region, account and keys every local server and client agrees on. */
export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT_ID = "000000000000";
/** s3rver only accepts this key pair; the other servers accept any, so every client uses it. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
