import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { RebuildSummary } from "../functions/feed-publisher";
import { LOCAL_REBUILD_PATH } from "./local-routes";

/**
 * `npm run rebuild`: renders every feed and page of the running `npm start` stack again and deletes
 * the publisher's files it did not render (PORT, DATA_DIR and ADMIN_TOKEN as for npm start).
 * When the table has no published event it keeps them, unless run with `-- --even-if-empty`.
 * Deployed, invoke the publisher: see the README.
 */
const evenIfEmpty = process.argv.slice(2).includes("--even-if-empty");
const token =
  process.env.ADMIN_TOKEN ??
  (
    JSON.parse(
      await readFile(resolve(process.env.DATA_DIR ?? ".data", "secrets.json"), "utf8").catch(() => "{}"),
    ) as {
      adminToken?: string;
    }
  ).adminToken;
if (!token) throw new Error("No ADMIN_TOKEN and no secrets.json in DATA_DIR: run npm start first");
const started = Date.now();
const query = evenIfEmpty ? "?evenIfEmpty=true" : "";
const response = await fetch(`http://localhost:${process.env.PORT ?? 3000}${LOCAL_REBUILD_PATH}${query}`, {
  method: "POST",
  headers: { authorization: `Bearer ${token}` },
});
const text = await response.text();
if (!response.ok) {
  console.error(`${response.status} ${response.statusText} ${text}`);
  process.exit(1);
}
const summary = JSON.parse(text) as RebuildSummary;
console.log(
  `Rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.rendered} files rendered, ${summary.written} written (${summary.bytes} bytes), ${summary.deleted} deleted`,
);
if (summary.kept > 0) {
  console.log(
    `Kept ${summary.kept} files it did not render: the table has no published event. If the programme is empty on purpose: npm run rebuild -- --even-if-empty`,
  );
}
