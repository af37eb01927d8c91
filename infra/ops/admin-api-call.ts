import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { authorizedHeaders, type EditorAuth, type EditorRequest } from "./editor-client";

/**
 * One request to the editors' API from a terminal. Deployed: EVENTCAST_API_URL is the stack's
 * ApiUrl output and the request is signed with your AWS credentials (SigV4). Locally: it goes to
 * http://localhost:$PORT with the token npm start keeps.
 */
export const callAdminApi = async (request: EditorRequest): Promise<Response> => {
  const deployedUrl = process.env.EVENTCAST_API_URL;
  const baseUrl = deployedUrl ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const auth: EditorAuth = deployedUrl
    ? { kind: "sigv4", region: apiRegion(deployedUrl), credentials: defaultProvider() }
    : { kind: "bearer", token: await localToken() };
  const headers = await authorizedHeaders(baseUrl, request, auth);
  return fetch(new URL(request.path, baseUrl), { method: request.method, headers, body: request.body }).catch(
    (error: Error) => {
      throw new Error(
        deployedUrl
          ? `Cannot reach ${baseUrl}: ${error.message} (is EVENTCAST_API_URL the stack's ApiUrl?)`
          : `Cannot reach ${baseUrl}: is npm start running there? Give the same PORT (and DATA_DIR) as npm start`,
      );
    },
  );
};

/** Prints the status line and the (pretty) body; the exit code says whether it succeeded. */
export const printResponse = async (response: Response): Promise<void> => {
  const text = await response.text();
  console.log(`${response.status} ${response.statusText}`);
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  process.exitCode = response.ok ? 0 : 1;
};

const localToken = async () => {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const secrets = resolve(process.env.DATA_DIR ?? ".data", "secrets.json");
  const stored = JSON.parse(await readFile(secrets, "utf8").catch(() => "{}")) as { adminToken?: string };
  if (!stored.adminToken) {
    throw new Error(
      `No ADMIN_TOKEN and no ${secrets}: run npm start first, or give the same DATA_DIR (or its ADMIN_TOKEN) as npm start`,
    );
  }
  return stored.adminToken;
};

/** The API's own region (in its execute-api host name) unless AWS_REGION says otherwise. */
const apiRegion = (url: string) => {
  const region = process.env.AWS_REGION ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
  if (!region) throw new Error("Set AWS_REGION: it cannot be read from EVENTCAST_API_URL");
  return region;
};
