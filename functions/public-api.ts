import { SQSClient } from "@aws-sdk/client-sqs";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadOriginSecret, loadSubscriberKeys } from "../shared/adapters/secrets";
import { SubscriptionRequestQueue } from "../shared/adapters/sqs/subscription-requests";
import { loadConfig, required } from "../shared/config";
import { httpHandler } from "../shared/http/http-handler";
import { requireOriginSecret } from "../shared/http/origin";
import { oneOf, pageLimit } from "../shared/http/query";
import { subscriptionRoutes } from "../shared/http/subscription-routes";
import {
  getPublicEvent,
  listPublicEvents,
  renderPublicEventCalendar,
} from "../shared/use-cases/read-public-events";
import type { SubscriptionDeps } from "../shared/use-cases/subscriptions";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const documents = createDocumentClient();
const repository = new EventRepository(documents, config.tableName);
const subscriptionDeps: SubscriptionDeps = {
  subscribers: new SubscriberRepository(documents, subscribersTable),
  events: repository,
  requests: new SubscriptionRequestQueue(
    new SQSClient({}),
    required(config.subscriptionQueueUrl, "SUBSCRIPTION_QUEUE_URL"),
  ),
  keys: await loadSubscriberKeys(config),
  config,
};

/** Published events are public data: any site may read them from the browser. */
const PUBLIC_DATA = { "Access-Control-Allow-Origin": "*" };

/** The public side: published (and cancelled) events as JSON and iCalendar, and subscriptions. */
export const handler = httpHandler({
  servesPages: true,
  authorize: requireOriginSecret(await loadOriginSecret(config)),
  routes: [
    {
      method: "GET",
      path: "/api/events",
      handle: async ({ query }) => ({
        statusCode: 200,
        headers: PUBLIC_DATA,
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
      handle: async ({ params }) => ({
        statusCode: 200,
        headers: PUBLIC_DATA,
        body: await getPublicEvent(repository, params.id as string),
      }),
    },
    {
      method: "GET",
      path: "/api/events/{id}/calendar.ics",
      handle: async ({ params, query }) => ({
        statusCode: 200,
        headers: {
          ...PUBLIC_DATA,
          "Content-Type": "text/calendar; charset=utf-8",
          "Content-Disposition": 'attachment; filename="event.ics"',
        },
        body: await renderPublicEventCalendar(repository, config, params.id as string, query.lang),
      }),
    },
    ...subscriptionRoutes(subscriptionDeps),
  ],
});
