/**
 * The 404 pages: one per language, and the one CloudFront and the local front answer every
 * unknown path with (`/404.html`), in the default language with a line in each other language.
 */
import type { LanguageCode } from "../../domain/event";
import { Layout, renderDocument } from "./layout";
import { siteMessagesFor } from "./messages";
import { homeUrl, type SiteContext } from "./site";

export const renderNotFoundPage = ({
  site,
  language,
}: {
  site: SiteContext;
  language: LanguageCode;
}): string => {
  const messages = siteMessagesFor(language);
  return renderDocument(
    <Layout site={site} language={language} title={messages.notFoundTitle} noindex narrow>
      <h1>{messages.notFoundTitle}</h1>
      <p>{messages.notFoundText}</p>
      <p>
        <a href={homeUrl(site, language)}>{messages.goToEvents}</a>
      </p>
    </Layout>,
  );
};

export const renderRootNotFoundPage = ({ site }: { site: SiteContext }): string => {
  const language = site.defaultLanguage;
  const messages = siteMessagesFor(language);
  const others = site.languages.filter((code) => code !== language);
  return renderDocument(
    <Layout site={site} language={language} title={messages.notFoundTitle} noindex narrow>
      <h1>{messages.notFoundTitle}</h1>
      <p>{messages.notFoundText}</p>
      <p>
        <a href={homeUrl(site, language)}>{messages.goToEvents}</a>
      </p>
      <ul>
        {others.map((code) => (
          <li key={code} lang={code}>
            {siteMessagesFor(code).notFoundTitle}:{" "}
            <a href={homeUrl(site, code)} hreflang={code}>
              {siteMessagesFor(code).goToEvents}
            </a>
          </li>
        ))}
      </ul>
    </Layout>,
  );
};
