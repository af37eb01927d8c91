/**
 * A real Chromium for page tests, from npm alone (@sparticuz/chromium ships the binary), driven by
 * puppeteer-core, with axe-core injected for accessibility checks.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

const require = createRequire(import.meta.url);

/** The short flag list NOTES found enough for our own pages; it hides nothing (CSP still applies). */
const LAUNCH_ARGS = ["--no-sandbox", "--headless=shell", "--use-gl=angle", "--use-angle=swiftshader"];

export const launchBrowser = async (): Promise<Browser> =>
  puppeteer.launch({ executablePath: await chromium.executablePath(), args: LAUNCH_ARGS, headless: "shell" });

/**
 * What a page printed that signals a fault: CSP refusals, script errors, dialogs. A document's own
 * 4xx status ("Failed to load resource") is left to the tests, which assert statuses themselves.
 */
export const watchConsole = (page: Page): string[] => {
  const problems: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    if (message.type() === "error" || /Refused to/.test(text)) problems.push(text);
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's serious and critical findings on the page as it is now. axe is evaluated over the
 * DevTools protocol rather than added as a <script>, which the pages' CSP rightly refuses.
 */
export const seriousAccessibilityViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
};
