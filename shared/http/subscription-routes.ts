import { InvalidLinkError } from "../domain/errors";
import { SUBSCRIPTION_PATHS } from "../domain/subscriptions/links";
import { seriesChoicesIn } from "../render/pages/partials/subscribe-form";
import {
  confirmedPage,
  confirmPage,
  invalidLinkPage,
  managePage,
  manageSavedPage,
  unsubscribedPage,
  unsubscribePage,
} from "../render/pages/subscription-pages";
import {
  activeSubscriberFromToken,
  confirmSubscription,
  listAllSeries,
  type SubscriptionDeps,
  subscribe,
  subscriberFromToken,
  unsubscribe,
  updatePreferences,
} from "../use-cases/subscriptions";
import { invalidLinkStatus } from "./errors";
import { viewerIp } from "./origin";
import type { HttpRequest, HttpResponse, Route } from "./router";
import { siteOfApiPages, subscribeFormRevisitRoutes, subscribeFormRoute } from "./subscribe-form";

// Pages carry a token in their URL: never cache them, never leak the URL as a referrer.
const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
};

/**
 * Subscription requests and forms are small (an address, a language, at most 50 series ids);
 * anyone may send them, so a larger body is refused before it is read.
 */
export const MAX_SUBSCRIPTION_BODY_BYTES = 8 * 1024;

const page = (statusCode: number, html: string): HttpResponse => ({
  statusCode,
  headers: PAGE_HEADERS,
  body: html,
});

/** The token comes in the link's query string, or in the form a page posts. */
const tokenOf = (request: HttpRequest, form?: URLSearchParams) =>
  request.query.token ?? form?.get("token") ?? undefined;

/** The address CloudFront saw the request come from; only a keyed hash of it is kept (the consent record). */
const clientIp = (request: HttpRequest): string => viewerIp(request.event, request.headers);

const formOf = (request: HttpRequest) =>
  new URLSearchParams(typeof request.body === "string" ? request.body : "");

/** Renders a link's page, or the invalid-link page (4xx, nothing changed) when the token is bad. */
const withValidLink =
  (deps: SubscriptionDeps, render: (request: HttpRequest, form: URLSearchParams) => Promise<HttpResponse>) =>
  async (request: HttpRequest): Promise<HttpResponse> => {
    const form = formOf(request);
    try {
      return await render(request, form);
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      const asked = error.language ?? request.query.lang;
      const language = asked && deps.config.languages.includes(asked) ? asked : deps.config.defaultLanguage;
      return page(
        invalidLinkStatus(error.reason),
        invalidLinkPage({ language, site: siteOfApiPages(deps.config), reason: error.reason }),
      );
    }
  };

/** Subscribe, confirm, unsubscribe (RFC 8058 one-click) and manage; GETs only show pages, POSTs act. */
export const subscriptionRoutes = (deps: SubscriptionDeps): Route[] => {
  const action = (purpose: keyof typeof SUBSCRIPTION_PATHS) => SUBSCRIPTION_PATHS[purpose];
  // The site's header and navigation on every page, when eventcast publishes the site.
  const site = siteOfApiPages(deps.config);
  return [
    subscribeFormRoute(deps, clientIp, MAX_SUBSCRIPTION_BODY_BYTES),
    ...subscribeFormRevisitRoutes(deps),
    {
      method: "POST",
      path: "/api/subscriptions",
      body: "json",
      maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES,
      handle: async (request) => {
        await subscribe(deps, request.body, { ip: clientIp(request) });
        return {
          statusCode: 202,
          body: {
            message:
              "Thank you. If this address can receive our mail, a confirmation link is on its way to it.",
          },
        };
      },
    },
    {
      method: "GET",
      path: SUBSCRIPTION_PATHS.confirm,
      handle: withValidLink(deps, async (request) => {
        const token = tokenOf(request) as string;
        const subscriber = await subscriberFromToken(deps, token, "confirm");
        return page(
          200,
          confirmPage({ language: subscriber.language, site, token, actionUrl: action("confirm") }),
        );
      }),
    },
    {
      method: "POST",
      path: SUBSCRIPTION_PATHS.confirm,
      body: "form",
      maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES,
      handle: withValidLink(deps, async (request, form) => {
        const subscriber = await confirmSubscription(deps, tokenOf(request, form), {
          ip: clientIp(request),
        });
        return page(200, confirmedPage({ language: subscriber.language, site }));
      }),
    },
    {
      method: "GET",
      path: SUBSCRIPTION_PATHS.unsubscribe,
      handle: withValidLink(deps, async (request) => {
        const token = tokenOf(request) as string;
        const subscriber = await subscriberFromToken(deps, token, "unsubscribe");
        return page(
          200,
          unsubscribePage({ language: subscriber.language, site, token, actionUrl: action("unsubscribe") }),
        );
      }),
    },
    {
      // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` here; no cookie, no redirect.
      method: "POST",
      path: SUBSCRIPTION_PATHS.unsubscribe,
      body: "form",
      maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES,
      handle: withValidLink(deps, async (request, form) => {
        const subscriber = await unsubscribe(deps, tokenOf(request, form));
        return page(200, unsubscribedPage({ language: subscriber.language, site }));
      }),
    },
    {
      method: "GET",
      path: SUBSCRIPTION_PATHS.manage,
      handle: withValidLink(deps, async (request) => {
        const token = tokenOf(request) as string;
        const subscriber = await activeSubscriberFromToken(deps, token, "manage");
        const allSeries = await listAllSeries(deps);
        return page(
          200,
          managePage({
            language: subscriber.language,
            site,
            token,
            actionUrl: action("manage"),
            currentLanguage: subscriber.language,
            currentSeries: subscriber.series,
            currentReminders: subscriber.reminders !== false,
            allSeries: seriesChoicesIn(allSeries, subscriber.language, deps.config.defaultLanguage),
            languages: deps.config.languages,
          }),
        );
      }),
    },
    {
      method: "POST",
      path: SUBSCRIPTION_PATHS.manage,
      body: "form",
      maxBodyBytes: MAX_SUBSCRIPTION_BODY_BYTES,
      handle: withValidLink(deps, async (request, form) => {
        const subscriber = await updatePreferences(deps, tokenOf(request, form), form);
        return page(200, manageSavedPage({ language: subscriber.language, site }));
      }),
    },
  ];
};
