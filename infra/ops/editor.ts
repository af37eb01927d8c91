import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { authorizedHeaders, type EditorAuth } from "./editor-client";

/**
 * `npm run editor -- <METHOD> <path> [event.json]`: the editors' API from a terminal.
 * Deployed: set EVENTCAST_API_URL to the stack's ApiUrl output; requests are signed with your AWS
 * credentials (SigV4). Locally: talks to http://localhost:$PORT with the token npm start keeps.
 */
const [method = "", path = "", file] = process.argv.slice(2);
if (!method || !path.startsWith("/")) {
  console.error("usage: npm run editor -- <GET|POST|PUT> </api/admin/...> [body.json]");
  process.exit(2);
}

const deployedUrl = process.env.EVENTCAST_API_URL;
const baseUrl = deployedUrl ?? `http://localhost:${process.env.PORT ?? 3000}`;

const localToken = async () => {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const secrets = resolve(process.env.DATA_DIR ?? ".data", "secrets.json");
  const stored = JSON.parse(await readFile(secrets, "utf8").catch(() => "{}")) as { adminToken?: string };
  if (!stored.adminToken) throw new Error(`No ADMIN_TOKEN and no ${secrets}: run npm start first`);
  return stored.adminToken;
};

/** The API's own region (in its execute-api host name) unless AWS_REGION says otherwise. */
const apiRegion = (url: string) => {
  const region = process.env.AWS_REGION ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
  if (!region) throw new Error("Set AWS_REGION: it cannot be read from EVENTCAST_API_URL");
  return region;
};

const auth: EditorAuth = deployedUrl
  ? { kind: "sigv4", region: apiRegion(deployedUrl), credentials: defaultProvider() }
  : { kind: "bearer", token: await localToken() };
const body = file ? await readFile(file, "utf8") : undefined;
const request = { method: method.toUpperCase(), path, body };
const response = await fetch(new URL(path, baseUrl), {
  method: request.method,
  headers: await authorizedHeaders(baseUrl, request, auth),
  body,
});
const text = await response.text();
console.log(`${response.status} ${response.statusText}`);
try {
  console.log(JSON.stringify(JSON.parse(text), null, 2));
} catch {
  console.log(text);
}
process.exitCode = response.ok ? 0 : 1;
