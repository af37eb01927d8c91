import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { DueMailings } from "../shared/adapters/dynamodb/due-mailings";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../shared/adapters/dynamodb/mailing-store";
import { loadConfig } from "../shared/config";
import { logger } from "../shared/observability/logger";
import { type SweepOutcome, sweepDueMailings } from "../shared/use-cases/sweep-due-mailings";

const config = loadConfig();
const documents = createDocumentClient();
const deps = {
  events: new EventRepository(documents, config.tableName),
  mailings: new MailingStore(documents, config.tableName),
  due: new DueMailings(documents, config.tableName),
  reminderLeadHours: config.reminderLeadHours,
};

/**
 * Every minute (an EventBridge rule; locally the local runtime's clock): the notices and reminders
 * due by the event's time are asked to be planned. An item that fails is logged and found again
 * by the next sweep.
 */
export const handler = middy<Pick<ScheduledEvent, "time">, SweepOutcome[]>({ timeoutEarlyInMillis: 0 })
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const now = new Date(event.time ?? Date.now()).toISOString();
    const outcomes = await sweepDueMailings(deps, now, (error, due) =>
      logger.error("A due mailing could not be started; the next sweep tries again", {
        eventId: due.eventId,
        due: due.due,
        error: error as Error,
      }),
    );
    if (outcomes.length > 0) logger.info("Started due mailings", { now, outcomes });
    return outcomes;
  });
