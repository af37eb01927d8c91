/**
 * zod/mini, with zod's English messages, the checks of full zod without its method chains and its
 * 40 locales, which every function would otherwise load at cold start (BENCH_ONLY=cold npm run
 * bench). Use it as `import * as z from "./zod"`; property access keeps the bundles tree-shaken.
 * A field missing or of the wrong type is said in our words ("is required", "must be a text"),
 * not zod's ("Invalid input: expected string, received undefined").
 */
import { config, type core } from "zod/mini";
import en from "zod/v4/locales/en.js";

const EXPECTED: Record<string, string> = {
  string: "a text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

config({
  ...en(),
  customError: (issue) => {
    if (issue.code !== "invalid_type") return undefined;
    if (issue.input === undefined) return "is required";
    return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
  },
});

/** A zod error as the fields it names and what is wrong with each. */
export const fieldIssuesOf = (error: core.$ZodError): { path: string; message: string }[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message:
      issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));

export * from "zod/mini";
