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

/** The page answering every path with no object, deployed as CloudFront's custom error response. */
export const NOT_FOUND_KEY = "404.html";
