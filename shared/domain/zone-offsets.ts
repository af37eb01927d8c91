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
 * Every change of the zone's offset in [from, to), oldest first, found by sampling the offset once
 * a day and bisecting to the second where it differs. Changes are never less than a day apart: the
 * closest in the tz database from 1970 to 2040 are 6.96 days (Brazil in 2000, Gaza in 2040).
 */
export const offsetChanges = (zone: string, from: number, to: number): OffsetChange[] => {
  const changes: OffsetChange[] = [];
  let sample = from - SECOND;
  let offset = offsetAt(zone, sample);
  while (sample < to) {
    const next = Math.min(sample + DAY, to);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      const at = changeBetween(zone, sample, next);
      if (at >= from && at < to) changes.push({ at, before: offset, after: nextOffset });
    }
    sample = next;
    offset = nextOffset;
  }
  return changes;
};
