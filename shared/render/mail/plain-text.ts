/** Editor text made safe for line-based formats (mail headers, iCalendar, text parts), whatever validation let through. */

/** Unicode control characters (C0, DEL, C1); none of them belongs in text a person reads. */
const CONTROL_CHARS = /\p{Cc}/gu;

/** Everything that can end or break a line: controls, any whitespace, and the Unicode line and paragraph separators. */
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}\s]+/gu;

/** Text with line breaks kept as `\n`, tabs as spaces, and every other control character removed. */
export const withoutControlChars = (text: string): string =>
  text
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL_CHARS, (char) => (char === "\n" ? "\n" : char === "\t" ? " " : ""));

/** Text on one line: any run of whitespace or control characters becomes one space, so it can never start a header. */
export const singleLine = (text: string): string => text.replace(LINE_BREAKING, " ").trim();
