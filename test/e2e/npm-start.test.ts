import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_EVENT } from "../../local/seed-data";
import { freePort } from "../support/announcement-run";
import { eventually } from "../support/eventually";
import { jsonOf } from "../support/http";

let dataDir: string;
let port: number;
let sesPort: number;

/** `npm start` as a person runs it; resolves with the process and everything it printed so far. */
const npmStart = () => {
  const child = spawn("npm", ["start"], {
    env: { ...process.env, PORT: String(port), SES_PORT: String(sesPort), DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so Ctrl-C can be sent the way a terminal sends it: to the whole group.
    detached: true,
  });
  const output = { text: "" };
  child.stdout?.on("data", (chunk) => {
    output.text += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output.text += String(chunk);
  });
  return { child, output };
};

/** What Ctrl-C in a terminal does: SIGINT to every process of the foreground group. */
const pressCtrlC = (child: ChildProcess) => process.kill(-(child.pid as number), "SIGINT");

/** Resolves when the process has ended (npm itself ends by the signal, its child by exiting cleanly). */
const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** Nothing answers on the port any more: every server of the stack is closed. */
const portClosed = async () => {
  const answered = await fetch(`http://127.0.0.1:${port}/feed.xml`).then(
    () => true,
    () => false,
  );
  expect(answered).toBe(false);
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "eventcast-npm-start-"));
  [port, sesPort] = [await freePort(), await freePort()];
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("serves the seed event, stops on Ctrl-C, and keeps the data for the next start", async () => {
    const first = npmStart();
    try {
      await eventually(
        () => expect(first.output.text).toContain("eventcast is running (seeded the first event)"),
        90_000,
      );
      expect(first.output.text).toContain(`http://localhost:${port}/ka/feed.xml`);
      expect(first.output.text).toContain(`http://127.0.0.1:${sesPort}/`);
      expect(first.output.text).toMatch(/Authorization: Bearer [\w-]{20,}/);
      await eventually(async () => {
        const feed = await (await fetch(`http://127.0.0.1:${port}/ka/feed.xml`)).text();
        expect(feed).toContain(SEED_EVENT.translations.ka?.title);
      }, 10_000);
    } finally {
      pressCtrlC(first.child);
    }
    await stopped(first.child);
    await eventually(portClosed, 10_000);

    const second = npmStart();
    try {
      await eventually(() => expect(second.output.text).toContain("eventcast is running"), 90_000);
      expect(second.output.text).not.toContain("seeded");
      const feed = await jsonOf(await fetch(`http://127.0.0.1:${port}/feed.json`));
      expect(feed.items.map((item: { title: string }) => item.title)).toEqual([
        SEED_EVENT.translations.en?.title,
      ]);
    } finally {
      pressCtrlC(second.child);
    }
    await stopped(second.child);
    await eventually(portClosed, 10_000);
  }, 200_000);
});
