/**
 * A mailing is one event's mail to one audience: the announcement now; a change notice, a
 * cancellation notice or a reminder later. Each is planned once, durably, into batches of at most
 * 50 recipients of one language (the outbox) before anything is queued; each batch is then sent
 * with one SES bulk call and its outcome recorded per recipient (the ledger). Planning, sending,
 * resuming and the status ops see are the same for every kind.
 */
import { type EventTiming, eventEndInstant } from "./event-time";
import { type MaterialFacts, materialKey } from "./material-change";

/** Which mailing of an event: "announcement", "notice-<burst>", "cancellation" or "reminder". */
export interface MailingRef {
  eventId: string;
  mailing: string;
}

export type MailingKind = "announcement" | "notice" | "cancellation" | "reminder";

/** The kind a mailing's name says: every notice of an event is "notice-<the revision its burst began at>". */
export const mailingKindOf = (mailing: string): MailingKind => {
  if (mailing === "announcement" || mailing === "cancellation" || mailing === "reminder") return mailing;
  if (/^notice-\d+$/.test(mailing)) return "notice";
  throw new Error(`Unknown mailing "${mailing}"`);
};

export const noticeName = (burst: number): string => `notice-${burst}`;

/** The revision a notice's burst began at, from its name. */
export const noticeBurstOf = (mailing: string): number => {
  const burst = /^notice-(\d+)$/.exec(mailing)?.[1];
  if (!burst) throw new Error(`"${mailing}" is not a notice`);
  return Number(burst);
};

/** The status an event must still have for the mailing to go out: a cancellation needs it cancelled, the rest published. */
export const eventStatusFor = (kind: MailingKind): "published" | "cancelled" =>
  kind === "cancellation" ? "cancelled" : "published";

/**
 * - requested: someone asked for it to be planned (again): the stream hands that to the announcer;
 * - planning: a planner is writing batches under `planEpoch`, committing and queueing them a segment at a
 *   time (a crash leaves it here: the next run goes on after the last committed segment, under a new epoch);
 * - planned: the whole plan is committed (`plan`); its last batches are being queued;
 * - queued: every batch of the plan was put on the delivery queue once;
 * - dropped: the event no longer calls for it (cancelled or gone, or never announced) before a
 *   plan was committed: closed for good, with the reason (`dropped`), so no redrive asks again.
 */
export type MailingStatus = "requested" | "planning" | "planned" | "queued" | "dropped";

export interface Mailing extends MailingRef {
  kind: MailingKind;
  status: MailingStatus;
  /** A notice's: the material facts subscribers were last told, which its mail shows as "old". */
  previous?: MaterialFacts;
  startedAt: string;
  /** Raised by every planning run; only the run that still holds it may commit a segment or the plan. */
  planEpoch: number;
  /** The committed batches so far, by the epoch that wrote them: the whole plan once `plan` is set. */
  segments?: PlanSegment[];
  /** Per batch group (language, and "old" for a notice), the last subscriber in a committed batch: the next run reads on after it. */
  cursor?: PlanCursor;
  /** Recipients in the committed batches. */
  plannedRecipients?: number;
  plan?: CommittedPlan;
  /** Batches 1…n of the plan the planner has queued so far. */
  queuedThrough?: number;
  queuedAt?: string;
  dropped?: { reason: string; at: string };
}

export interface CommittedPlan {
  epoch: number;
  batches: number;
  recipients: number;
  plannedAt: string;
}

/** Batches (previous segment's `through`, `through`] of a plan, written and committed under `epoch`. */
export interface PlanSegment {
  epoch: number;
  through: number;
}

export type PlanCursor = Record<string, string>;

/** The committed segments of a mailing (a plan committed whole, before segments, is one). */
export const committedSegments = (mailing: Pick<Mailing, "segments" | "plan"> | undefined): PlanSegment[] =>
  mailing?.segments ?? (mailing?.plan ? [{ epoch: mailing.plan.epoch, through: mailing.plan.batches }] : []);

export const plannedThrough = (segments: PlanSegment[]): number => segments.at(-1)?.through ?? 0;

/** The segments once batches up to `through` are committed under `epoch` (one segment per planning run). */
export const withSegment = (segments: PlanSegment[], epoch: number, through: number): PlanSegment[] => {
  const last = segments.at(-1);
  if (through <= plannedThrough(segments)) return segments;
  if (last?.epoch === epoch) return [...segments.slice(0, -1), { epoch, through }];
  return [...segments, { epoch, through }];
};

/** The keys of batches `from`…`through` of a plan, each under the epoch whose segment holds it. */
export const batchKeysOf = (
  ref: MailingRef,
  segments: PlanSegment[],
  from: number,
  through: number,
): BatchKey[] => {
  const keys: BatchKey[] = [];
  let start = 1;
  for (const segment of segments) {
    for (let seq = Math.max(from, start); seq <= Math.min(through, segment.through); seq++) {
      keys.push({ eventId: ref.eventId, mailing: ref.mailing, epoch: segment.epoch, seq });
    }
    start = segment.through + 1;
  }
  return keys;
};

/** The seq ranges of each segment: what to read of the ledger, epoch by epoch. */
export const segmentRanges = (segments: PlanSegment[]): { epoch: number; from: number; through: number }[] =>
  segments.map((segment, index) => ({
    epoch: segment.epoch,
    from: (segments[index - 1]?.through ?? 0) + 1,
    through: segment.through,
  }));

/** Which open batch a page's recipients join: one per language, and per "old" for a notice. */
export const batchGroupOf = (page: Pick<AudiencePage, "language" | "previous">): string =>
  page.previous ? `${page.language}#${materialKey(page.previous)}` : page.language;

/**
 * The page without whoever a committed batch of its group already holds. Every audience is read
 * in id order within a language, so within a group too: those are the ids up to the cursor's.
 */
export const afterCursor = (page: AudiencePage, cursor: PlanCursor): AudiencePage => {
  const last = cursor[batchGroupOf(page)];
  return last === undefined ? page : { ...page, subscriberIds: page.subscriberIds.filter((id) => id > last) };
};

/** Recipients per batch: SES takes at most 50 destinations in one SendBulkEmail call. */
export const RECIPIENTS_PER_BATCH = 50;

export interface BatchKey extends MailingRef {
  epoch: number;
  /** 1…plan.batches */
  seq: number;
}

/**
 * - planned: not tried yet; failed: tried, some recipients still to send (retried, resumable);
 * - sending: claimed for one bulk call: in flight, or in doubt after a crash (never sent again);
 * - done: every recipient has an outcome.
 */
export type BatchStatus = "planned" | "sending" | "failed" | "done";

export type RecipientOutcome =
  /** `revision`: the event revision its mail showed (absent in batches recorded before it was kept). */
  | { status: "sent"; messageId: string; revision?: number }
  | { status: "refused"; reason: string }
  | { status: "skipped"; reason: string };

export interface PlannedBatch extends BatchKey {
  language: string;
  subscriberIds: string[];
  status: BatchStatus;
  /** By subscriber id; a planned recipient without one is still to be sent. */
  outcomes: Record<string, RecipientOutcome>;
  attempts: number;
  claimedAt?: string;
  finishedAt?: string;
  lastError?: string;
  /** A notice batch's: what its recipients were shown before, its mail's "old" (else the mailing's `previous`). */
  previous?: MaterialFacts;
  /** The material facts of each event revision its mails showed, by revision: what a notice compares. */
  shown?: Record<string, MaterialFacts>;
  /** When DynamoDB deletes the batch (TTL, epoch seconds). */
  expiresAt: number;
}

/** What ops see per batch. */
export type BatchState = "planned" | "sent" | "failed" | "in-doubt";

export const batchState = (batch: Pick<PlannedBatch, "status">): BatchState => {
  switch (batch.status) {
    case "done":
      return "sent";
    case "sending":
      return "in-doubt";
    default:
      return batch.status;
  }
};

/** Whether a resume puts the batch on the queue again: only batches that surely have recipients to send. */
export const isUnsent = (batch: Pick<PlannedBatch, "status">): boolean =>
  batch.status === "planned" || batch.status === "failed";

export const pendingRecipients = (batch: Pick<PlannedBatch, "subscriberIds" | "outcomes">): string[] =>
  batch.subscriberIds.filter((id) => !batch.outcomes[id]);

/** Outbox and ledger rows are kept this long after the event ends, then DynamoDB deletes them. */
export const LEDGER_RETENTION_DAYS = 90;

export const ledgerExpiry = (event: EventTiming): number =>
  Math.floor(Date.parse(eventEndInstant(event)) / 1000) + LEDGER_RETENTION_DAYS * 24 * 60 * 60;

/** A page of an audience, in the order it is read: ids of one language (and, for a notice, what they were shown). */
export interface AudiencePage {
  language: string;
  subscriberIds: string[];
  /** A notice's: what these recipients' mail shows as "old" (without it, the mailing's `previous`). */
  previous?: MaterialFacts;
}

export interface BatchPlan {
  language: string;
  subscriberIds: string[];
  previous?: MaterialFacts;
}

/**
 * Cuts an audience into batches of at most `size` recipients of one language (and one `previous`),
 * in reading order, holding one open batch per language (pages of several languages may come
 * interleaved): each recipient read lands in exactly one batch.
 */
export async function* batchesOf(
  pages: AsyncIterable<AudiencePage>,
  size: number = RECIPIENTS_PER_BATCH,
): AsyncGenerator<BatchPlan> {
  const open = new Map<string, BatchPlan>();
  for await (const page of pages) {
    const group = batchGroupOf(page);
    for (const id of page.subscriberIds) {
      const current = open.get(group) ?? {
        language: page.language,
        subscriberIds: [],
        ...(page.previous ? { previous: page.previous } : {}),
      };
      current.subscriberIds.push(id);
      if (current.subscriberIds.length === size) {
        open.delete(group);
        yield current;
      } else open.set(group, current);
    }
  }
  yield* open.values();
}

/** Pages of several sources as they come, each source read one page ahead at most. */
export async function* interleave<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const next = (index: number) =>
    (iterators[index] as AsyncIterator<T>).next().then((result) => ({ index, result }));
  const reading = new Map(iterators.map((_, index) => [index, next(index)]));
  while (reading.size > 0) {
    const { index, result } = await Promise.race(reading.values());
    if (result.done) {
      reading.delete(index);
      continue;
    }
    reading.set(index, next(index));
    yield result.value;
  }
}
