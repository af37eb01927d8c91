/**
 * The whole local stack killed (SIGKILL) mid-announcement and started again on its data folder:
 * a resume reaches exactly the subscribers not sent yet; each subscriber has one mail, and the
 * only ones without are those listed in doubt. In a file of its own: `npm start` must not inherit
 * the environment an in-process stack leaves behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUDIENCE,
  asEditor,
  expectOneMailEachBarInDoubt,
  freePort,
  publish,
  SES_LATENCY_MS,
  settled,
  statusOf,
  writeAudience,
} from "../support/announcement-run";
import { eventually } from "../support/eventually";
import { sentMails } from "../support/local-mail";

describe("the whole local stack killed mid-announcement", () => {
  let dataDir: string;
  let port: number;
  let sesPort: number;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "eventcast-sigkill-"));
    [port, sesPort] = [await freePort(), await freePort()];
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-(child.pid as number), "SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  /** `npm start` in a process group of its own, so that the whole stack can be killed at once. */
  const npmStart = async () => {
    const child = spawn("npm", ["start"], {
      env: {
        ...process.env,
        PORT: String(port),
        SES_PORT: String(sesPort),
        DATA_DIR: dataDir,
        SES_LATENCY_MS: String(SES_LATENCY_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    await eventually(() => expect(output).toContain("eventcast is running"), 90_000);
    return child;
  };

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });

  it("loses no one but a batch in doubt: restarted and resumed, each subscriber has one mail", async () => {
    const first = await npmStart();
    const endpoints = JSON.parse(await readFile(join(dataDir, "local-endpoints.json"), "utf8"));
    const secrets = JSON.parse(await readFile(join(dataDir, "secrets.json"), "utf8"));
    const editor = { url: `http://127.0.0.1:${port}`, token: secrets.adminToken as string };
    const audience = await writeAudience(
      endpoints.dynamodb,
      endpoints.subscribersTable,
      secrets.pseudonymKey,
      "killed",
    );
    const id = await publish(editor, "Killed announcement day");
    await eventually(
      async () => expect((await statusOf(editor, id)).batches.sent).toBeGreaterThanOrEqual(2),
      30_000,
    );

    process.kill(-(first.pid as number), "SIGKILL");
    await exited(first);
    const crashedAt = new Date();
    const second = await npmStart();
    const sesUrl = `http://127.0.0.1:${sesPort}`;
    const beforeResume = (await sentMails(sesUrl)).filter(
      (mail) => mail.subject === "Killed announcement day",
    );
    // Killed mid-announcement indeed: some mails went out before, the others had not.
    expect(beforeResume.length).toBeGreaterThan(0);
    expect(beforeResume.length).toBeLessThan(AUDIENCE);

    const resumed = await asEditor(editor, "POST", `/api/admin/events/${id}/announce`);
    expect(resumed.status).toBe(202);
    const status = await settled(editor, id, crashedAt);

    expectOneMailEachBarInDoubt(await sentMails(sesUrl), "Killed announcement day", audience, status);
    expect(status.recipients.sent + status.recipients.inDoubt).toBe(AUDIENCE);
    process.kill(-(second.pid as number), "SIGINT");
    await exited(second);
  }, 240_000);
});
