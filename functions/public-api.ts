import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { loadConfig } from "../shared/config";
import { httpHandler } from "../shared/http/http-handler";
import { oneOf, pageLimit } from "../shared/http/query";
import { getPublicEvent, listPublicEvents } from "../shared/use-cases/read-public-events";

const config = loadConfig();
const repository = new EventRepository(createDocumentClient(), config.tableName);

/** The public read side: published (and cancelled) events as JSON. */
export const handler = httpHandler({
  routes: [
    {
      method: "GET",
      path: "/api/events",
      handle: async ({ query }) => ({
        statusCode: 200,
        body: await listPublicEvents(repository, config.languages, {
          language: query.lang,
          series: query.series,
          when: oneOf("when", query.when, ["upcoming", "past"] as const, "upcoming"),
          limit: pageLimit(query.limit),
          cursor: query.cursor,
        }),
      }),
    },
    {
      method: "GET",
      path: "/api/events/{id}",
      handle: async ({ params }) => ({ statusCode: 200, body: await getPublicEvent(repository, params.id as string) }),
    },
  ],
});
