/**
 * A zone's UTC offsets and the moments they change, from the runtime's own zone rules (ICU's copy
 * of the IANA database, read through luxon's Intl-backed IANAZone). Every instant eventcast
 * computes comes from the same rules, so the VTIMEZONE built from them cannot disagree with the
 * instants in feeds, the API and mail.
 */
import { IANAZone } from "luxon";

/** One change of a zone's UTC offset. */
export interface OffsetChange {
  /** The first millisecond (UTC) of the new offset. */
  at: number;
  /** Minutes east of UTC before `at` and from `at` on. */
  before: number;
  after: number;
}

const SECOND = 1_000;
const DAY = 86_400_000;

/** The zone's offset from UTC at an instant, in minutes east of UTC. */
export const offsetAt = (zone: string, at: number): number => IANAZone.create(zone).offset(at);

/** The first second with the new offset, between two instants a day apart whose offsets differ. */
const changeBetween = (zone: string, from: number, to: number): number => {
  const before = offsetAt(zone, from);
  let low = Math.floor(from / SECOND);
  let high = Math.ceil(to / SECOND);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(zone, middle * SECOND) === before) low = middle;
    else high = middle;
  }
  return high * SECOND;
};

/**
 * The changes within one UTC year, found by sampling the offset once a day and bisecting to the
 * second where it differs. Changes are never less than a day apart: the closest in the tz database
 * from 1970 to 2040 are 6.96 days apart (Brazil in 2000, Gaza in 2040).
 */
const scanYear = (zone: string, year: number): OffsetChange[] => {
  const changes: OffsetChange[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  // From the last second of the year before, so that a change at midnight on 1 January is this year's.
  let sample = Date.UTC(year, 0, 1) - SECOND;
  let offset = offsetAt(zone, sample);
  while (sample < end) {
    const next = Math.min(sample + DAY, end);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      const at = changeBetween(zone, sample, next);
      if (at < end) changes.push({ at, before: offset, after: nextOffset });
    }
    sample = next;
    offset = nextOffset;
  }
  return changes;
};

// A year takes 365 samples (about 1.5 ms); calendars of one zone and overlapping years share them.
const changesByYear = new Map<string, readonly OffsetChange[]>();

const changesInYear = (zone: string, year: number): readonly OffsetChange[] => {
  const key = `${zone}\u0000${year}`;
  let changes = changesByYear.get(key);
  if (!changes) {
    changes = scanYear(zone, year);
    changesByYear.set(key, changes);
  }
  return changes;
};

/** Every change of the zone's offset in [from, to), oldest first. */
export const offsetChanges = (zone: string, from: number, to: number): OffsetChange[] => {
  const changes: OffsetChange[] = [];
  for (let year = new Date(from).getUTCFullYear(); year <= new Date(to).getUTCFullYear(); year++) {
    changes.push(...changesInYear(zone, year).filter(({ at }) => at >= from && at < to));
  }
  return changes;
};
