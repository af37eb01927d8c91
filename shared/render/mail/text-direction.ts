import type { LanguageCode } from "../../domain/event";

/** Primary subtags of the languages written right to left; none of ours today, but `dir` must not lie when one is added. */
const RIGHT_TO_LEFT = new Set([
  "ar",
  "arc",
  "ckb",
  "dv",
  "fa",
  "he",
  "iw",
  "ks",
  "ps",
  "sd",
  "ug",
  "ur",
  "yi",
]);

/** The `dir` attribute for text in the language. */
export const textDirection = (language: LanguageCode): "ltr" | "rtl" =>
  RIGHT_TO_LEFT.has(language.split("-")[0]?.toLowerCase() ?? "") ? "rtl" : "ltr";
