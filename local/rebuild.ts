import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { RebuildSummary } from "../functions/feed-publisher";
import { LOCAL_REBUILD_PATH } from "./local-routes";

/**
 * `npm run rebuild`: renders every feed and page of the running `npm start` stack again and deletes
 * the publisher's files it did not render (PORT, DATA_DIR and ADMIN_TOKEN as for npm start).
 * When the table has no published event it keeps them, unless run with `-- --even-if-empty`.
 * Folders of languages taken out of LANGUAGES are kept and named, unless run with
 * `-- --drop-language be`.
 * Deployed, invoke the publisher: see the README.
 */
const args = process.argv.slice(2);
const evenIfEmpty = args.includes("--even-if-empty");
/** `--drop-language be` (again for each language, or `be,ru`): folders of languages taken out of LANGUAGES. */
const dropLanguages = args.flatMap((arg, index) =>
  arg === "--drop-language"
    ? (args[index + 1] ?? "").split(",")
    : arg.startsWith("--drop-language=")
      ? arg.slice("--drop-language=".length).split(",")
      : [],
);
if (args.some((arg, index) => arg === "--drop-language" && !args[index + 1])) {
  console.error("--drop-language needs a language, like --drop-language be");
  process.exit(2);
}
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
const parameters = new URLSearchParams({
  ...(evenIfEmpty ? { evenIfEmpty: "true" } : {}),
  ...(dropLanguages.length > 0 ? { dropLanguages: dropLanguages.join(",") } : {}),
});
const query = parameters.size > 0 ? `?${parameters}` : "";
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
for (const { language, files } of summary.unconfiguredLanguages) {
  console.log(
    `Kept ${files} files under ${language}/, a language no longer in LANGUAGES. To delete them: npm run rebuild -- --drop-language ${language}`,
  );
}
if (summary.kept > 0) {
  console.log(
    `Kept ${summary.kept} files it did not render: the table has no published event. If the programme is empty on purpose: npm run rebuild -- --even-if-empty`,
  );
}
