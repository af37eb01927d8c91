import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Config } from "../config";

/** The key that signs subscribers' links: from config locally, from Secrets Manager when deployed (read once). */
export const loadTokenSecret = async (config: Config): Promise<string> => {
  if (config.tokenSecret) return config.tokenSecret;
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(
      new GetSecretValueCommand({ SecretId: config.tokenSecretArn }),
    );
    if (!SecretString) throw new Error("The token secret is empty");
    return SecretString;
  } finally {
    client.destroy();
  }
};
