import type { Announcement, AnnouncementStore } from "../adapters/dynamodb/announcement-store";
import type { DeliveryLedger } from "../adapters/dynamodb/delivery-ledger";
import type { EventRepository } from "../adapters/dynamodb/event-repository";
import { ConflictError, NotFoundError } from "../domain/errors";

export interface RequestAnnouncementDeps {
  repository: EventRepository;
  announcements: AnnouncementStore;
  now?: () => string;
}

/**
 * An editor's (or ops') way to resume an announcement that stopped, e.g. after the announcer gave up
 * on its stream record: the request goes through the stream to the announcer, which continues from
 * the saved cursor. Nobody gets a second mail: the delivery ledger sends each mail once.
 */
export const requestAnnouncement = async (
  deps: RequestAnnouncementDeps,
  id: string,
): Promise<Announcement> => {
  const event = await deps.repository.getEvent(id);
  if (!event) throw new NotFoundError(`No event with id ${id}`);
  if (event.status !== "published") {
    throw new ConflictError(`The event is ${event.status}; only a published event is announced`, "status");
  }
  const now = (deps.now ?? (() => new Date().toISOString()))();
  if (!(await deps.announcements.requestResume(id, now))) {
    throw new ConflictError("The announcement already reached every subscriber");
  }
  return (await deps.announcements.get(id)) as Announcement;
};

export interface AnnouncementStatus {
  eventId: string;
  /** Where the fan-out stands; null before the first publication. */
  announcement: Announcement | null;
  /**
   * Ledger rows still "sending": mails in flight right now, or, when claimed minutes ago, the
   * ones a crash left between SES and the ledger (never resent; see README, "The one window").
   */
  sending: { subscriberId: string; claimedAt: string }[];
}

/** What ops look at when an announcement seems stuck or a mail seems missing. */
export const announcementStatus = async (
  deps: { repository: EventRepository; announcements: AnnouncementStore; ledger: DeliveryLedger },
  id: string,
): Promise<AnnouncementStatus> => {
  if (!(await deps.repository.getEvent(id))) throw new NotFoundError(`No event with id ${id}`);
  const [announcement, sending] = await Promise.all([
    deps.announcements.get(id),
    deps.ledger.listInDoubt(id),
  ]);
  return { eventId: id, announcement: announcement ?? null, sending };
};
