/**
 * What a change notice says changed, old → new, in the reader's language: one line per material
 * change (the rule is domain/material-change), each a label with both values.
 */
import type { EventLocation } from "../../domain/event";
import { type MaterialFacts, materialChanges } from "../../domain/material-change";
import { formatWhenChange } from "../event-when";
import { httpUrl } from "../feeds/html";
import { type LineReader, lineText, venueLine } from "../people-places";
import { mailMessagesFor } from "./messages";

export interface ChangeLine {
  label: string;
  /** "old → new", as plain text (escaped by whoever writes it out). */
  text: string;
}

const placeText = (location: EventLocation, reader: LineReader): string => {
  const messages = mailMessagesFor(reader.language);
  if (location.type === "venue") return lineText(venueLine(location, reader));
  const url = httpUrl(location.url);
  return url ? `${messages.online} — ${url}` : messages.online;
};

/** The lines of a notice from what subscribers were told (`before`) to the event now. */
export const changeLines = (
  before: MaterialFacts,
  after: MaterialFacts,
  reader: LineReader,
): ChangeLine[] => {
  const messages = mailMessagesFor(reader.language);
  return materialChanges(before, after).map((change) => {
    if (change === "time") {
      return {
        label: messages.changeTime,
        text: formatWhenChange(before, after, reader.documentLanguage ?? reader.language),
      };
    }
    if (before.location.type === "online" && after.location.type === "online") {
      const from = httpUrl(before.location.url) ?? messages.online;
      const to = httpUrl(after.location.url) ?? messages.online;
      return { label: messages.onlineLink, text: `${from} → ${to}` };
    }
    return {
      label: messages.place,
      text: `${placeText(before.location, reader)} → ${placeText(after.location, reader)}`,
    };
  });
};
