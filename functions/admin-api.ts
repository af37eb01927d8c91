import { SQSClient } from "@aws-sdk/client-sqs";
import { createDocumentClient } from "../shared/adapters/dynamodb/client";
import { DeliveryLedger } from "../shared/adapters/dynamodb/delivery-ledger";
import { DueMailings } from "../shared/adapters/dynamodb/due-mailings";
import { EventRepository } from "../shared/adapters/dynamodb/event-repository";
import { MailingStore } from "../shared/adapters/dynamodb/mailing-store";
import { SubscriberRepository } from "../shared/adapters/dynamodb/subscriber-repository";
import { loadPseudonymKey } from "../shared/adapters/secrets";
import { DeliveryQueue } from "../shared/adapters/sqs/delivery-queue";
import { loadConfig, required } from "../shared/config";
import { authorizeAdmin } from "../shared/http/editor-auth";
import { httpHandler } from "../shared/http/http-handler";
import { oneOf, pageLimit } from "../shared/http/query";
import {
  cancelStoredEvent,
  createEvent,
  deleteDraft,
  getEvent,
  publishStoredEvent,
  updateEvent,
} from "../shared/use-cases/edit-events";
import { getSeries, listSeries, saveSeries } from "../shared/use-cases/edit-series";
import { type EraseDeps, eraseSubscriber } from "../shared/use-cases/erase-subscriber";
import {
  announcementStatus,
  namedMailingStatus,
  resumeAnnouncement,
  resumeNamedMailing,
} from "../shared/use-cases/manage-mailings";
import { pendingNotice, sendNoticeNow, suppressNotice } from "../shared/use-cases/sweep-due-mailings";

const config = loadConfig();
const subscribersTable = required(config.subscribersTableName, "SUBSCRIBERS_TABLE");
const documents = createDocumentClient();
const repository = new EventRepository(documents, config.tableName);
const mailings = {
  events: repository,
  mailings: new MailingStore(documents, config.tableName),
  ledger: new DeliveryLedger(documents, subscribersTable),
  queue: new DeliveryQueue(new SQSClient({}), required(config.deliveryQueueUrl, "DELIVERY_QUEUE_URL")),
};
const deps = { repository, languages: config.languages };
const notices = {
  events: repository,
  mailings: mailings.mailings,
  due: new DueMailings(documents, config.tableName),
  reminderLeadHours: config.reminderLeadHours,
};
const erasure: EraseDeps = {
  subscribers: new SubscriberRepository(documents, subscribersTable),
  ledger: mailings.ledger,
  events: repository,
  keys: { pseudonyms: await loadPseudonymKey(config) },
};
/** Erasing a person: for privacy operators, not editors. */
const ERASURES_PATH = "/api/admin/erasures";

/** The editors' API: events and series, drafts included. */
export const handler = httpHandler({
  authorize: authorizeAdmin({
    adminToken: config.adminToken,
    editors: config.editors,
    privacyOperators: config.privacyOperators,
    privacyPaths: [ERASURES_PATH],
  }),
  routes: [
    {
      method: "GET",
      path: "/api/admin/events",
      handle: async ({ query }) => ({
        statusCode: 200,
        body: await repository.listAllEvents(pageLimit(query.limit), query.cursor),
      }),
    },
    {
      method: "POST",
      path: "/api/admin/events",
      body: "json",
      handle: async ({ body }) => ({ statusCode: 201, body: await createEvent(deps, body) }),
    },
    {
      method: "GET",
      path: "/api/admin/events/{id}",
      handle: async ({ params }) => ({ statusCode: 200, body: await getEvent(deps, params.id as string) }),
    },
    {
      method: "PUT",
      path: "/api/admin/events/{id}",
      body: "json",
      handle: async ({ params, body, query }) => ({
        statusCode: 200,
        body: await updateEvent(deps, params.id as string, body, {
          // ?notice=none: this edit's material changes are told to nobody (a fix, or told otherwise).
          quiet: oneOf("notice", query.notice, ["send", "none"], "send") === "none",
        }),
      }),
    },
    {
      method: "DELETE",
      path: "/api/admin/events/{id}",
      handle: async ({ params }) => {
        await deleteDraft(deps, params.id as string);
        return { statusCode: 204 };
      },
    },
    {
      method: "POST",
      path: "/api/admin/events/{id}/publish",
      handle: async ({ params }) => ({
        statusCode: 200,
        body: await publishStoredEvent(deps, params.id as string),
      }),
    },
    {
      method: "POST",
      path: "/api/admin/events/{id}/cancel",
      handle: async ({ params }) => ({
        statusCode: 200,
        body: await cancelStoredEvent(deps, params.id as string),
      }),
    },
    {
      method: "POST",
      path: "/api/admin/events/{id}/announce",
      handle: async ({ params }) => ({
        statusCode: 202,
        body: await resumeAnnouncement(mailings, params.id as string),
      }),
    },
    {
      method: "GET",
      path: "/api/admin/events/{id}/announcement",
      handle: async ({ params }) => ({
        statusCode: 200,
        body: await announcementStatus(mailings, params.id as string),
      }),
    },
    {
      method: "GET",
      path: "/api/admin/events/{id}/mailings/{mailing}",
      handle: async ({ params }) => ({
        statusCode: 200,
        body: await namedMailingStatus(mailings, params.id as string, params.mailing as string),
      }),
    },
    {
      method: "POST",
      path: "/api/admin/events/{id}/mailings/{mailing}/resume",
      handle: async ({ params }) => ({
        statusCode: 202,
        body: await resumeNamedMailing(mailings, params.id as string, params.mailing as string),
      }),
    },
    {
      method: "GET",
      path: "/api/admin/events/{id}/notice",
      handle: async ({ params }) => ({
        statusCode: 200,
        body: { pending: (await pendingNotice(notices, params.id as string)) ?? null },
      }),
    },
    {
      method: "POST",
      path: "/api/admin/events/{id}/notice",
      handle: async ({ params }) => ({
        statusCode: 202,
        body: await sendNoticeNow(notices, params.id as string, new Date().toISOString()),
      }),
    },
    {
      method: "DELETE",
      path: "/api/admin/events/{id}/notice",
      handle: async ({ params }) => {
        await suppressNotice(notices, params.id as string);
        return { statusCode: 204 };
      },
    },
    {
      method: "GET",
      path: "/api/admin/series",
      handle: async () => ({ statusCode: 200, body: { items: await listSeries(deps) } }),
    },
    {
      method: "GET",
      path: "/api/admin/series/{id}",
      handle: async ({ params }) => ({ statusCode: 200, body: await getSeries(deps, params.id as string) }),
    },
    {
      method: "PUT",
      path: "/api/admin/series/{id}",
      body: "json",
      handle: async ({ params, body }) => ({
        statusCode: 200,
        body: await saveSeries(deps, params.id as string, body),
      }),
    },
    {
      // The body carries the address, so it never lands in a URL or an access log.
      method: "POST",
      path: ERASURES_PATH,
      body: "json",
      maxBodyBytes: 1024,
      handle: async ({ body }) => ({
        statusCode: 200,
        body: {
          message: "Everything eventcast kept for this address is erased, if it kept anything.",
          ...(await eraseSubscriber(erasure, body)),
        },
      }),
    },
  ],
});
