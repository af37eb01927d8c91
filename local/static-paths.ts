import { LANGUAGE_TAG_SOURCE } from "../shared/domain/event";

/**
 * Which bucket key a static path is served from, as the CloudFront Function does deployed
 * (infra/constructs/feeds.ts): a folder (`/`, `/ka/`, `/ka/series/x/`) is its index.html. A path that
 * can name no object (malformed encoding, control characters, longer than S3's 1,024-byte keys)
 * has no key, so it is a 404 rather than an error.
 */
const MAX_KEY_BYTES = 1024;

export const staticKeyFor = (pathname: string): string | undefined => {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (!path.startsWith("/") || /\p{Cc}/u.test(path)) return undefined;
  const key = path.endsWith("/") ? `${path.slice(1)}index.html` : path.slice(1);
  return Buffer.byteLength(key) > MAX_KEY_BYTES ? undefined : key;
};

/** A first path segment named like a language ("ka", "sr-Latn"): the publisher's language folders. */
const LANGUAGE_FOLDER = new RegExp(`^/${LANGUAGE_TAG_SOURCE}(?:/|$)`);
const EVENT_PAGE_WITH_SLASH = new RegExp(`^/${LANGUAGE_TAG_SOURCE}/events/[^/]+/$`);

/**
 * Where a static path is redirected (301), as the CloudFront Function does deployed, or undefined:
 * under a language folder, a folder typed without its slash (`/ka`, `/ka/subscribe`) goes to the
 * folder, an event page typed with one (`/ka/events/x/`) to the page. `search` goes along.
 */
export const directoryRedirectFor = (pathname: string, search: string): string | undefined => {
  if (EVENT_PAGE_WITH_SLASH.test(pathname)) return `${pathname.slice(0, -1)}${search}`;
  if (pathname.endsWith("/") || !LANGUAGE_FOLDER.test(pathname)) return undefined;
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  if (last.includes(".") || /^\/[^/]+\/events\//.test(pathname)) return undefined;
  return `${pathname}/${search}`;
};

/** The page answering every path with no object, deployed as CloudFront's custom error response. */
export const NOT_FOUND_KEY = "404.html";
