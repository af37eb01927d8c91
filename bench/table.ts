/** A plain text table: left-aligned text, right-aligned numbers with thousands separators. */

/** One line of a table; a column a row leaves out stays blank. */
export type TableRow = Record<string, string | number | undefined>;

/** A titled table: `npm run bench` prints one per kind of measurement, each with its own columns. */
export interface Table {
  title: string;
  rows: TableRow[];
  /** Printed under the table: what a column means where its name cannot say it. */
  notes?: string[];
}

const decimals = (value: unknown): number =>
  typeof value === "number" ? (String(value).split(".")[1]?.length ?? 0) : 0;

const cell = (value: string | number | undefined, digits: number): string =>
  value === undefined
    ? ""
    : typeof value === "number"
      ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
      : value;

export const printTable = (rows: TableRow[]): void => {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const numeric = columns.map((column) =>
    rows.every((row) => row[column] === undefined || typeof row[column] === "number"),
  );
  // Every number in a column gets as many decimals as the most precise one, so the points line up.
  const digits = columns.map((column) => Math.max(...rows.map((row) => decimals(row[column]))));
  const text = rows.map((row) => columns.map((column, index) => cell(row[column], digits[index] ?? 0)));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...text.map((values) => values[index]?.length ?? 0)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) =>
        numeric[index] ? value.padStart(widths[index] ?? 0) : value.padEnd(widths[index] ?? 0),
      )
      .join("  ");
  console.log(line(columns));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const values of text) console.log(line(values));
};
