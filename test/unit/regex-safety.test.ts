import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { check } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { EMAIL_PATTERN } from "../../shared/domain/subscriptions/subscriber";

const ROOT = join(import.meta.dirname, "..", "..");
/** Code that sees requests: the functions, what they share, and the local front that stands in for CloudFront. */
const PRODUCT_DIRS = ["shared", "functions", "local"];

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name));

/** Every regular-expression literal in the product's code, with where it is. */
const regexLiterals = (): { where: string; source: string; flags: string }[] =>
  PRODUCT_DIRS.flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: { where: string; source: string; flags: string }[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const literal = node.text;
        const end = literal.lastIndexOf("/");
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({
          where: `${relative(ROOT, file)}:${line}`,
          source: literal.slice(1, end),
          flags: literal.slice(end + 1),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  });

describe("regular expressions", () => {
  const literals = regexLiterals();

  it("finds the patterns it checks (the sweep is not empty)", () => {
    expect(literals.length).toBeGreaterThan(20);
    expect(literals.map((literal) => literal.source)).toContain(EMAIL_PATTERN.source);
  });

  it("are all linear: no input can make one backtrack (recheck finds no ReDoS)", async () => {
    const verdicts = await Promise.all(
      literals.map(async (literal) => {
        const result = await check(literal.source, literal.flags);
        return `${literal.where} /${literal.source}/ ${result.status}${
          result.status === "vulnerable" ? ` (${result.complexity.summary})` : ""
        }`;
      }),
    );
    expect(verdicts.filter((verdict) => !verdict.endsWith(" safe"))).toEqual([]);
  }, 60_000);

  it("include an email pattern that still tells addresses from other text", () => {
    for (const good of ["nino@example.org", "a.b+c@mail.example.co.uk", "x@xn--80ak6aa92e.com"]) {
      expect(EMAIL_PATTERN.test(good)).toBe(true);
    }
    for (const bad of [
      "nino@example",
      "nino@@example.org",
      "a@b..org",
      "a@.example.org",
      "a b@example.org",
    ]) {
      expect(EMAIL_PATTERN.test(bad)).toBe(false);
    }
  });
});
