import { readFile } from "node:fs/promises";
import { callAdminApi, printResponse } from "./admin-api-call";

/** `npm run editor -- <METHOD> <path> [event.json]`: the editors' API from a terminal (see admin-api-call.ts). */
const [method = "", path = "", file] = process.argv.slice(2);
if (!method || !path.startsWith("/")) {
  console.error("usage: npm run editor -- <GET|POST|PUT|DELETE> </api/admin/...> [body.json]");
  process.exit(2);
}

/** Stops with one line that says what to do, instead of a stack trace. */
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

const body = file
  ? await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) =>
      fail(`Cannot read the body file ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`),
    )
  : undefined;
const response = await callAdminApi({ method: method.toUpperCase(), path, body }).catch((error: Error) =>
  fail(error.message),
);
await printResponse(response);
