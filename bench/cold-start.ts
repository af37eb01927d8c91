/**
 * Cold start: does bundling the AWS SDK pay off? Every Lambda in functions/ is bundled with esbuild
 * exactly as infra/constructs/function.ts has NodejsFunction bundle it (SDK inside), and again with
 * `@aws-sdk/*` left external (the nodejs24.x default: the runtime's copy, here the repo's
 * node_modules). Each bundle is then imported by fresh node processes, which time `await import()`:
 * reading, compiling and running the module's top level (config, clients). That is not the Lambda
 * runtime's own init, nor the first request (credentials, endpoints, TLS).
 *
 * A first, untimed import of each bundle intercepts sockets and DNS: a bundle that tries the network
 * at import is reported and not timed. It also records which files outside the bundle were loaded.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { median, percentile } from "./measure";
import type { Table, TableRow } from "./table";

const ROOT = path.join(import.meta.dirname, "..");
const CONSTRUCTS = path.join(ROOT, "infra", "constructs");
const runFile = promisify(execFile);

/** infra/constructs/function.ts's banner, verbatim (checked against the file below). */
const REQUIRE_SHIM =
  "import { createRequire as __eventcastCreateRequire } from 'node:module'; const require = __eventcastCreateRequire(import.meta.url);";
/** The bundling options of function.ts that the build below copies; the bench refuses to run if one changed. */
const MIRRORED_OPTIONS = [
  JSON.stringify(REQUIRE_SHIM),
  "runtime: Runtime.NODEJS_24_X",
  "format: OutputFormat.ESM",
  'target: "node24"',
  'mainFields: ["module", "main"]',
  "minify: true",
  "sourceMap: true",
  "sourcesContent: false",
  "externalModules: []",
  'NODE_OPTIONS: "--enable-source-maps"',
];
/** Options the build below does not copy: the bench refuses to run if function.ts starts using one. */
const UNMIRRORED_OPTIONS = ["nodeModules", "commandHooks", "loader:"];

const VARIANTS = [
  { kind: "bundled", name: "SDK bundled (shipped)", external: [] as string[] },
  { kind: "external", name: "@aws-sdk/* external", external: ["@aws-sdk/*"] },
] as const;

/**
 * What a deployed function finds in its environment, with the keys given so that nothing reads
 * Secrets Manager, and dummy credentials. Nothing is inherited from this process.
 */
const CHILD_ENV: Record<string, string> = {
  TABLE_NAME: "eventcast-bench-data",
  SUBSCRIBERS_TABLE: "eventcast-bench-subscribers",
  FEED_BUCKET: "eventcast-bench-feeds",
  PUBLIC_URL: "https://events.example.org",
  LINK_KEYS: "cold-start-bench-link-key-0123456789abcdef",
  PSEUDONYM_KEY: "cold-start-bench-pseudonym-key-0123456789abcdef",
  ORIGIN_SECRET: "cold-start-bench-origin-secret-0123456789abcdef",
  SENDER_ADDRESS: "eventcast <events@example.org>",
  POSTAL_ADDRESS: "1 Example Street, 1000 Brussels, Belgium",
  DELIVERY_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/123456789012/eventcast-deliveries",
  AWS_REGION: "eu-central-1",
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "cold-start-bench",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
  POWERTOOLS_SERVICE_NAME: "eventcast",
  POWERTOOLS_METRICS_DISABLED: "true",
  TZ: ":UTC",
};
/** As function.ts sets it for every function. */
const SOURCE_MAPS = "--enable-source-maps";

/** The timed child: one fresh process, one import. */
const TIMED_IMPORT = `
const url = process.argv[1];
const started = process.hrtime.bigint();
await import(url);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, node: process.version }));
process.exit(0);
`;

/** The untimed first import: records the files it loads and blocks (and records) any connection. */
const PROBE_IMPORT = `
import dns from "node:dns";
import { registerHooks } from "node:module";
import net from "node:net";
import { fileURLToPath } from "node:url";
const loaded = [];
const network = [];
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith("file:")) loaded.push(fileURLToPath(url));
    return nextLoad(url, context);
  },
});
const blocked = () => new Error("the cold-start bench allows no network access at import");
net.Socket.prototype.connect = function (...args) {
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  network.push(target && typeof target === "object" ? (target.path ?? \`\${target.host}:\${target.port}\`) : args.slice(0, 2).join(":"));
  process.nextTick(() => this.destroy(blocked()));
  return this;
};
dns.lookup = (hostname, ...rest) => {
  network.push(\`dns \${hostname}\`);
  process.nextTick(() => rest.at(-1)(blocked()));
};
dns.promises.lookup = async (hostname) => {
  network.push(\`dns \${hostname}\`);
  throw blocked();
};
let error;
try {
  await import(process.argv[1]);
} catch (caught) {
  error = String(caught?.message ?? caught).slice(0, 300);
}
process.stdout.write(JSON.stringify({ node: process.version, loaded, network, error }));
process.exit(0);
`;

interface Bundle {
  function: string;
  kind: "bundled" | "external" | "reference";
  variant: string;
  file: string;
  bytes: number;
  mapBytes: number;
  metafile: Metafile;
  /** From the probe: files outside the bundle loaded at import, their bytes, connections tried. */
  dependencyFiles?: number;
  dependencyBytes?: number;
  network?: string[];
  timings: { maps: number[]; noMaps: number[] };
}

const checkMirroredOptions = async (): Promise<void> => {
  const source = await readFile(path.join(CONSTRUCTS, "function.ts"), "utf8");
  const missing = MIRRORED_OPTIONS.filter((snippet) => !source.includes(snippet));
  if (missing.length > 0) {
    throw new Error(
      `infra/constructs/function.ts no longer has ${missing.join(", ")}: update bench/cold-start.ts to bundle as it does`,
    );
  }
  const added = UNMIRRORED_OPTIONS.filter((snippet) => source.includes(snippet));
  if (added.length > 0) {
    throw new Error(
      `infra/constructs/function.ts now sets ${added.join(", ")}: update bench/cold-start.ts to bundle as it does`,
    );
  }
};

/** One bundle, built as NodejsFunction builds it (format, target, main fields, banner, minify, map). */
const bundle = async (
  entry: string,
  outDir: string,
  external: string[],
): Promise<Pick<Bundle, "file" | "bytes" | "mapBytes" | "metafile">> => {
  const file = path.join(outDir, "index.mjs");
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    outfile: file,
    platform: "node",
    format: "esm",
    target: "node24",
    mainFields: ["module", "main"],
    banner: { js: REQUIRE_SHIM },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external,
    metafile: true,
    logLevel: "warning",
    absWorkingDir: ROOT,
  });
  const [bytes, mapBytes] = await Promise.all([stat(file), stat(`${file}.map`)]);
  return { file, bytes: bytes.size, mapBytes: mapBytes.size, metafile };
};

const runChild = async (script: string, bundleFile: string, nodeOptions: string): Promise<unknown> => {
  const args = ["--input-type=module", "--eval", script, "--", pathToFileURL(bundleFile).href];
  const env = { ...CHILD_ENV, NODE_OPTIONS: nodeOptions };
  try {
    const { stdout } = await runFile(process.execPath, args, { env, timeout: 60_000, maxBuffer: 64 << 20 });
    const result = JSON.parse(stdout) as { node: string };
    if (Number(result.node.slice(1).split(".")[0]) < 24) {
      throw new Error(`the functions run on Node.js 24, but ${process.execPath} is ${result.node}`);
    }
    return result;
  } catch (error) {
    // A failed import prints a line of the minified bundle: keep the start of the message only.
    const stderr = String((error as { stderr?: string }).stderr ?? "").slice(0, 600);
    throw new Error(`importing ${bundleFile} failed: ${(error as Error).message.slice(0, 300)}\n${stderr}`);
  }
};

const probe = async (target: Bundle): Promise<void> => {
  const result = (await runChild(PROBE_IMPORT, target.file, SOURCE_MAPS)) as {
    loaded: string[];
    network: string[];
    error?: string;
  };
  if (result.error && result.network.length === 0) {
    throw new Error(`importing ${target.function} (${target.variant}) failed: ${result.error}`);
  }
  const outside = [...new Set(result.loaded)].filter((file) => file !== target.file);
  const sizes = await Promise.all(outside.map(async (file) => (await stat(file)).size));
  target.dependencyFiles = outside.length;
  target.dependencyBytes = sizes.reduce((total, size) => total + size, 0);
  target.network = result.network;
};

const time = async (target: Bundle, nodeOptions: string): Promise<number> =>
  ((await runChild(TIMED_IMPORT, target.file, nodeOptions)) as { ms: number }).ms;

/** The output bytes of the inputs whose path matches, from a bundle's metafile. */
const outputBytes = (metafile: Metafile, matches: (input: string) => boolean): number => {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint);
  return Object.entries(output?.inputs ?? {})
    .filter(([input]) => matches(input))
    .reduce((total, [, { bytesInOutput }]) => total + bytesInOutput, 0);
};

const packageOf = (input: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

/** The largest packages of a bundle by output bytes, zod and the AWS SDK aside. */
const largestOthers = (metafile: Metafile, count: number): string => {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(input);
    if (!name || name === "zod" || /^@(aws-sdk|smithy|aws-crypto)\//.test(name)) continue;
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort(([, a], [, b]) => b - a)
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kilobytes(bytes).toFixed(0)}`)
    .join(", ");
};

/** Bundled code that uses `__dirname`/`__filename`, which an ES module does not define: the packages. */
const commonJsPathUsers = async (metafile: Metafile): Promise<string[]> => {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint);
  const users = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    if (bytesInOutput === 0 || !input.includes("node_modules/")) continue;
    const source = await readFile(path.join(ROOT, input), "utf8").catch(() => "");
    if (/\b__(dirname|filename)\b/.test(source)) users.add(packageOf(input) ?? input);
  }
  return [...users];
};

const kilobytes = (bytes: number): number => bytes / 1024;
/** Rounded, without a negative zero ("-0.0" reads as a difference). */
const round = (value: number, digits: number): number => Number(value.toFixed(digits)) || 0;

export const benchColdStart = async (runs = 15): Promise<Table[]> => {
  await checkMirroredOptions();
  const functionNames = (await readdir(path.join(ROOT, "functions")))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => file.replace(/\.ts$/, ""))
    .sort();
  const dir = await mkdtemp(path.join(tmpdir(), "eventcast-cold-"));
  // The external SDK resolves from the repo's packages, as from /var/runtime on Lambda.
  const modules = path.join(dir, "node_modules");
  await symlink(path.join(ROOT, "node_modules"), modules, "dir");
  try {
    const bundles: Bundle[] = [];
    for (const name of functionNames) {
      for (const variant of VARIANTS) {
        const outDir = path.join(dir, `${name}-${variant.kind}`);
        const built = await bundle(path.join(ROOT, "functions", `${name}.ts`), outDir, [...variant.external]);
        bundles.push({
          function: name,
          kind: variant.kind,
          variant: variant.name,
          ...built,
          timings: { maps: [], noMaps: [] },
        });
      }
    }
    // What one dependency shared by every function costs on its own: the config schema and zod.
    const configEntry = path.join(dir, "config-only.ts");
    await writeFile(
      configEntry,
      `import { loadConfig } from ${JSON.stringify(path.join(ROOT, "shared", "config.ts"))};\nloadConfig();\n`,
    );
    const reference: Bundle = {
      function: "(shared/config.ts alone)",
      kind: "reference",
      variant: "zod + schema",
      ...(await bundle(configEntry, path.join(dir, "config-only"), [])),
      timings: { maps: [], noMaps: [] },
    };

    const all = [...bundles, reference];
    process.stderr.write(
      `  ${all.length} bundles, ${runs} fresh imports each with and without source maps…\n`,
    );
    for (const target of all) await probe(target);
    const timed = all.filter((target) => target.network?.length === 0);
    // Round robin, so that drift on a busy machine spreads over every bundle alike.
    for (let run = 0; run < runs; run++) {
      for (const target of timed) {
        target.timings.maps.push(await time(target, SOURCE_MAPS));
        target.timings.noMaps.push(await time(target, ""));
      }
    }

    const shipped = new Map(bundles.filter((b) => b.kind === "bundled").map((b) => [b.function, b]));
    const external = new Map(bundles.filter((b) => b.kind === "external").map((b) => [b.function, b]));
    const rows: TableRow[] = all.map((target) => {
      const { maps, noMaps } = target.timings;
      const base = shipped.get(target.function);
      const untimed = maps.length === 0;
      return {
        function: target.function,
        variant: target.variant,
        "bundle KB": round(kilobytes(target.bytes), 0),
        "map KB": round(kilobytes(target.mapBytes), 0),
        "deps files": target.dependencyFiles,
        "deps KB": round(kilobytes(target.dependencyBytes ?? 0), 0),
        "import ms": untimed ? undefined : round(median(maps), 1),
        "p90 ms": untimed ? undefined : round(percentile(maps, 90), 1),
        "vs shipped ms":
          base && base !== target && !untimed && base.timings.maps.length > 0
            ? round(median(maps) - median(base.timings.maps), 1)
            : undefined,
        "no maps ms": untimed ? undefined : round(median(noMaps), 1),
        "no maps p90": untimed ? undefined : round(percentile(noMaps, 90), 1),
      };
    });

    const composition: TableRow[] = [];
    for (const target of shipped.values()) {
      const withoutSdk = external.get(target.function);
      const zod = outputBytes(target.metafile, (input) => input.includes("node_modules/zod/"));
      composition.push({
        function: target.function,
        "bundle KB": round(kilobytes(target.bytes), 0),
        "AWS SDK KB": round(kilobytes(target.bytes - (withoutSdk?.bytes ?? target.bytes)), 0),
        "zod KB": round(kilobytes(zod), 0),
        "of which locales": round(
          kilobytes(outputBytes(target.metafile, (input) => input.includes("node_modules/zod/v4/locales/"))),
          0,
        ),
        "eventcast KB": round(
          kilobytes(outputBytes(target.metafile, (input) => /^(functions|shared)\//.test(input))),
          0,
        ),
        "largest other packages (KB)": largestOthers(withoutSdk?.metafile ?? target.metafile, 3),
      });
    }

    const networkNotes = all
      .filter((target) => (target.network?.length ?? 0) > 0)
      .map(
        (target) =>
          `${target.function} (${target.variant}) tried the network at import (${target.network?.join(", ")}): not timed.`,
      );
    const pathNotes: string[] = [];
    for (const target of shipped.values()) {
      const users = await commonJsPathUsers(target.metafile);
      if (users.length > 0) {
        pathNotes.push(
          `${target.function} bundles ${users.join(", ")}, which use __dirname/__filename: an ES module has neither, so that code throws a ReferenceError when it runs.`,
        );
      }
    }

    return [
      {
        title: `Cold start: fresh \`node\` processes importing each function's bundle, ${runs} imports each, median and p90`,
        rows,
        notes: [
          "import ms: `await import(bundle)` in a new process: read, compile and run the module's top level (config, SDK clients).",
          "  Not measured: the Lambda runtime's own init, the first request (credentials, endpoints, TLS), Secrets Manager",
          "  (deployed, functions read LINK_KEYS_ARN / PSEUDONYM_KEY_ARN at import; here the keys are given).",
          `import ms / p90 ms: with NODE_OPTIONS=${SOURCE_MAPS}, as deployed; no maps: the same without it.`,
          "vs shipped ms: median import ms minus the shipped bundle's (positive: slower than shipping the SDK inside).",
          "@aws-sdk/* external resolves the SDK from the repo's node_modules, standing in for the runtime's copy.",
          "deps files / KB: files loaded from outside the bundle during the import (the external SDK); shipped bundles load none.",
          "This machine's cores at full speed; a 512 MB Lambda gets about a third of an arm64 vCPU, so expect longer times.",
          ...(networkNotes.length > 0
            ? networkNotes
            : [
                "No bundle tried a connection or a DNS lookup at import (checked on an untimed first import).",
              ]),
        ],
      },
      {
        title: "Cold start: what each shipped bundle is made of (esbuild metafile, KB of minified output)",
        rows: composition,
        notes: [
          "AWS SDK KB: shipped bundle minus the @aws-sdk/* external one (the SDK's own packages and what only they use).",
          "zod KB: every function parses its environment with zod (shared/config.ts); `z` carries all of zod's locales.",
          ...pathNotes,
        ],
      },
    ];
  } finally {
    await unlink(modules);
    await rm(dir, { recursive: true, force: true });
  }
};
