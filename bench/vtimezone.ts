/**
 * What calendar zone data costs now that each VTIMEZONE is generated from the runtime's zone rules
 * (shared/render/calendar/vtimezone.ts) instead of read from a package, beside rendering one
 * all-day event's .ics (which needs no VTIMEZONE) in the same run. Per zone: the first component in
 * the process (it scans each year once, about 365 offsets a year), another span over years already
 * scanned, and a repeated request (a cache hit). The first two are single runs.
 */
import { renderEventCalendar } from "../shared/render/calendar/calendar";
import { vtimezoneFor } from "../shared/render/calendar/vtimezone";
import { SEED_EVENT } from "../test/unit/fixtures/seed-event";
import { CHECKED_ZONES } from "../test/unit/fixtures/zones";
import { measure } from "./measure";
import type { Table, TableRow } from "./table";

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const once = (operation: () => string): { ms: number; result: string } => {
  const started = performance.now();
  const result = operation();
  return { ms: performance.now() - started, result };
};

export const benchVtimezones = (): Table[] => {
  const options = { language: "en", defaultLanguage: "en", eventUrl: "https://www.example.org/en/events/x" };
  const anchor = measure(() => renderEventCalendar(SEED_EVENT, options), { budgetMs: 300, maxRuns: 200 }).ms;
  const rows: TableRow[] = [
    { zone: "(one all-day event's .ics: the anchor)", "anchor ms": round(anchor, 3) },
  ];
  for (const zone of CHECKED_ZONES) {
    const first = once(() => vtimezoneFor(zone, { first: 2021, last: 2030 }));
    const other = once(() => vtimezoneFor(zone, { first: 2023, last: 2027 }));
    const repeated = measure(() => vtimezoneFor(zone, { first: 2023, last: 2027 }), {
      budgetMs: 50,
      maxRuns: 200,
    });
    rows.push({
      zone,
      "first, 10 years ms": round(first.ms, 2),
      "× anchor": round(first.ms / anchor, 1),
      "other span ms": round(other.ms, 2),
      "× anchor ": round(other.ms / anchor, 1),
      "repeated ms": round(repeated.ms, 4),
      KB: round(Buffer.byteLength(first.result) / 1024, 1),
    });
  }
  return [
    {
      title: "Calendar zone data: a VTIMEZONE generated from Intl, in process",
      rows,
      notes: [
        "first, 10 years: the zone's first component in the process, for events in 2021-2030 (it covers 2031 too);",
        "  it includes building the zone's Intl formatter. other span: 2023-2027 next, over years already scanned.",
        "repeated: the same zone and years again, a cache hit (median). KB: the first component's size.",
        "A feed render asks for one component per zone and calendar, so a process pays the first cost once per zone.",
      ],
    },
  ];
};
