import { getVtimezoneComponent } from "@touch4it/ical-timezones";

/** The zone's identifier as this runtime's ICU canonicalises it ("Europe/Kyiv" → "Europe/Kiev"); the zone data predates renames. */
const icuCanonicalZone = (zone: string): string | undefined => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

/**
 * The VTIMEZONE component for an IANA zone, with its TZID set to `zone` exactly, so that it
 * matches the TZID parameters of the event. Undefined when the zone data does not know the zone
 * (or its files were not shipped with the bundle): the caller then writes UTC times instead.
 */
export const vtimezoneFor = (
  zone: string,
  lookup: (zone: string) => string | null = getVtimezoneComponent,
): string | undefined => {
  const candidates = [zone, icuCanonicalZone(zone)].filter((candidate): candidate is string =>
    Boolean(candidate),
  );
  for (const candidate of new Set(candidates)) {
    let component: string | null;
    try {
      component = lookup(candidate);
    } catch {
      // Zone files missing from a bundle must cost the TZID, never the feed or the mail.
      return undefined;
    }
    if (component?.includes("BEGIN:VTIMEZONE")) return component.replace(/^TZID:.*$/m, `TZID:${zone}`);
  }
  return undefined;
};
