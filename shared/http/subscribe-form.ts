/**
 * The website's subscribe form: a plain `application/x-www-form-urlencoded` POST that works without
 * JavaScript. It takes the same request as the JSON API and answers with an HTML page in the
 * reader's language: the uniform answer, or the form again with what to correct.
 */

import type { Config } from "../config";
import { RateLimitedError, ValidationError } from "../domain/errors";
import { HONEYPOT_FIELD } from "../domain/subscriptions/subscriber";
import { PAGE_CONTENT_TYPE } from "../render/pages/page-shell";
import { seriesChoicesIn } from "../render/pages/partials/subscribe-form";
import type { SiteContext } from "../render/pages/site";
import { SUBSCRIBE_FORM_PATH, siteContextFor, subscribePageUrl } from "../render/pages/site";
import {
  renderSubscribeAnswerPage,
  renderSubscribeFormErrorPage,
  renderTooManyRequestsPage,
  type SubscribeFormField,
} from "../render/pages/subscribe-page";
import { listAllSeries, type SubscriptionDeps, subscribe } from "../use-cases/subscriptions";
import type { HttpRequest, HttpResponse, Route } from "./router";

/** The site's header on the API's pages, when eventcast publishes the site those links lead to. */
export const siteOfApiPages = (config: Config): SiteContext | undefined =>
  config.publishesSite ? siteContextFor(config) : undefined;

const html = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { "Content-Type": PAGE_CONTENT_TYPE, "Cache-Control": "no-store", ...headers },
  body,
});

const fieldOf = (path: string): SubscribeFormField => {
  const field = path.split(".")[0];
  return field === "email" || field === "language" || field === "series" ? field : "form";
};

/**
 * The form's address opened with GET (a bookmark of its answer, a reload after going back): the
 * subscribe page in the form's language, when eventcast publishes the site; else a 405 as before.
 */
export const subscribeFormRevisitRoutes = (deps: SubscriptionDeps): Route[] => {
  const site = siteOfApiPages(deps.config);
  if (!site) return [];
  return [
    {
      method: "GET",
      path: SUBSCRIBE_FORM_PATH,
      handle: async (request) => {
        const language =
          deps.config.languages.find((code) => code === request.query.lang) ?? deps.config.defaultLanguage;
        return {
          statusCode: 303,
          headers: { Location: subscribePageUrl(site, language), "Cache-Control": "no-store" },
          body: "",
        };
      },
    },
  ];
};

export const subscribeFormRoute = (
  deps: SubscriptionDeps,
  clientIp: (request: HttpRequest) => string,
  maxBodyBytes: number,
): Route => ({
  method: "POST",
  path: SUBSCRIBE_FORM_PATH,
  body: "form",
  maxBodyBytes,
  handle: async (request) => {
    const form = new URLSearchParams(typeof request.body === "string" ? request.body : "");
    const { languages, defaultLanguage } = deps.config;
    // The page the form was on: the answer's language, whatever mail language was chosen.
    const pageLanguage = languages.find((code) => code === form.get("lang")) ?? defaultLanguage;
    const site = siteOfApiPages(deps.config);
    const values = {
      email: form.get("email") ?? "",
      language: form.get("language") ?? pageLanguage,
      series: [...new Set(form.getAll("series").filter(Boolean))],
    };
    try {
      const honeypot = form.get(HONEYPOT_FIELD);
      await subscribe(
        deps,
        { ...values, ...(honeypot ? { [HONEYPOT_FIELD]: honeypot } : {}) },
        {
          ip: clientIp(request),
        },
      );
      return html(200, renderSubscribeAnswerPage({ site, language: pageLanguage }));
    } catch (error) {
      if (error instanceof RateLimitedError) {
        return html(429, renderTooManyRequestsPage({ site, language: pageLanguage }), {
          "Retry-After": String(error.retryAfterSeconds),
        });
      }
      if (!(error instanceof ValidationError)) throw error;
      const series = seriesChoicesIn(await listAllSeries(deps), pageLanguage, defaultLanguage);
      return html(
        400,
        renderSubscribeFormErrorPage({
          site,
          language: pageLanguage,
          languages,
          series,
          values,
          fields: error.issues.map((issue) => fieldOf(issue.path)),
        }),
      );
    }
  },
});
