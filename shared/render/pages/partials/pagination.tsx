/** Real links between the pages of a listing, with rel=prev / rel=next. */
import type { LanguageCode } from "../../../domain/event";
import { fill } from "../../mail/messages";
import { siteMessagesFor } from "../messages";

export interface PageLinks {
  page: number;
  pageCount: number;
  /** Names the current page instead of "page x of y" (a month of past events). */
  label?: string;
  previous?: string;
  next?: string;
}

export const Pagination = ({ language, links }: { language: LanguageCode; links: PageLinks }) => {
  if (!links.previous && !links.next) return null;
  const messages = siteMessagesFor(language);
  return (
    <nav class="pagination" aria-label={messages.pagination}>
      <ul>
        {links.previous && (
          <li>
            <a rel="prev" href={links.previous}>
              {messages.previousPage}
            </a>
          </li>
        )}
        <li aria-current="page">
          {links.label ?? fill(messages.pageOf, { page: String(links.page), pages: String(links.pageCount) })}
        </li>
        {links.next && (
          <li>
            <a rel="next" href={links.next}>
              {messages.nextPage}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
};
