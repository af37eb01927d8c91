import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Config } from "../config";
import {
  type LinkKeyring,
  parseLinkKeyring,
  parsePseudonymKey,
  type SubscriberKeys,
} from "../domain/subscriptions/keys";

/** A secret from config (local runs) or from Secrets Manager (deployed), read once at cold start. */
const loadSecret = async (
  value: string | undefined,
  arn: string | undefined,
  name: string,
): Promise<string> => {
  if (value) return value;
  if (!arn) throw new Error(`Invalid configuration: ${name} or ${name}_ARN is required here`);
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString) throw new Error(`The secret ${arn} is empty`);
    return SecretString;
  } finally {
    client.destroy();
  }
};

/** The keyring that signs and verifies subscribers' links. */
export const loadLinkKeyring = async (config: Config): Promise<LinkKeyring> =>
  parseLinkKeyring(await loadSecret(config.linkKeys, config.linkKeysArn, "LINK_KEYS"));

/** The key of subscriber ids and IP hashes. */
export const loadPseudonymKey = async (config: Config): Promise<string> =>
  parsePseudonymKey(await loadSecret(config.pseudonymKey, config.pseudonymKeyArn, "PSEUDONYM_KEY"));

/** The value CloudFront adds to every request it passes to the API. */
export const loadOriginSecret = (config: Config): Promise<string> =>
  loadSecret(config.originSecret, config.originSecretArn, "ORIGIN_SECRET");

/** Both, for the functions that take subscriptions. */
export const loadSubscriberKeys = async (config: Config): Promise<SubscriberKeys> => {
  const [links, pseudonyms] = await Promise.all([loadLinkKeyring(config), loadPseudonymKey(config)]);
  return { links, pseudonyms };
};
