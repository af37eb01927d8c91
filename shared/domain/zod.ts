/**
 * zod/mini, with zod's English messages ("Invalid input: expected string, received undefined"):
 * the same checks as full zod without its method chains and its 40 locales, which every function
 * would otherwise load at cold start (BENCH_ONLY=cold npm run bench). Use it as
 * `import * as z from "./zod"`; property access keeps the bundles tree-shaken.
 */
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
