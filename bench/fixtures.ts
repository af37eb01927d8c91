/**
 * Synthetic programmes built from the seed event: every event in English and Georgian, one more
 * of the other six languages in turn, a third of them timed, one in twenty cancelled.
 */
import type { StoredEvent } from "../shared/domain/event";
import { SEED_EVENT, SEED_SERIES, TEST_CONFIG } from "../test/unit/fixtures/seed-event";

export const BENCH_SERIES = [SEED_SERIES];
export const BENCH_CONFIG = TEST_CONFIG;

const OTHER_LANGUAGES = ["hy", "az", "be", "ro", "ru", "uk"];
const DAY_MS = 86_400_000;

/** `count` public events, newest first, as the repository hands them to the feed publisher. */
export const generateEvents = (count: number): StoredEvent[] => {
  const english = SEED_EVENT.translations.en;
  const georgian = SEED_EVENT.translations.ka;
  if (!english || !georgian) throw new Error("The seed event needs its English and Georgian versions");
  const newest = Date.parse("2026-11-30T09:00:00Z");
  return Array.from({ length: count }, (_, index) => {
    const publishedAt = new Date(newest - index * DAY_MS).toISOString();
    const other = OTHER_LANGUAGES[index % OTHER_LANGUAGES.length] as string;
    const timed = index % 3 === 0;
    const cancelled = index % 20 === 7;
    return {
      ...SEED_EVENT,
      id: `bench-${String(index).padStart(6, "0")}`,
      slug: `ict-innovation-networking-${index}`,
      start: timed ? "2021-03-18T10:00:00" : "2020-12-14",
      end: timed ? "2021-03-18T12:00:00" : "2020-12-14",
      timeZone: timed ? "Europe/Kyiv" : undefined,
      translations: {
        en: { ...english, title: `${english.title} #${index}` },
        ka: { ...georgian, title: `${georgian.title} #${index}` },
        [other]: { ...english, title: `[${other}] ${english.title} #${index}` },
      },
      status: cancelled ? "cancelled" : "published",
      cancelledAt: cancelled ? publishedAt : undefined,
      publishedAt,
      updatedAt: publishedAt,
    };
  });
};

/**
 * The same programme with each event held two weeks after its announcement (as programmes run),
 * so events end in every month like they are announced: what bounded month pages assume.
 */
export const generateEventsOverTime = (count: number): StoredEvent[] =>
  generateEvents(count).map((event) => {
    const day = new Date(Date.parse(event.publishedAt as string) + 14 * DAY_MS).toISOString().slice(0, 10);
    const timed = event.start.includes("T");
    return {
      ...event,
      start: timed ? `${day}T10:00:00` : day,
      end: timed ? `${day}T12:00:00` : day,
    };
  });
