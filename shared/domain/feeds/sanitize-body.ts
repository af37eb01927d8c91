import sanitizeHtml from "sanitize-html";

/**
 * The render-time allow-list for event bodies. Bodies were sanitised on input already; this second
 * pass means a row written around the API (a restore, a script, a bug) still cannot put script,
 * embeds, styles or handlers into a feed.
 */
const RENDER_POLICY: sanitizeHtml.IOptions = {
  allowedTags:
    "p br strong b em i u s sub sup a ul ol li h2 h3 h4 blockquote code pre hr table thead tbody tr th td".split(
      " ",
    ),
  allowedAttributes: { a: ["href", "title", "lang"], "*": ["lang", "dir"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // Feed readers resolve relative links against bases we do not control: keep absolute ones only.
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      return { tagName, attribs: href && /^(https?:|mailto:)/i.test(href) ? { ...rest, href } : rest };
    },
  },
};

/** Editor HTML reduced to structure and absolute links; nothing that runs, embeds or styles survives. */
export const sanitizeBodyForFeed = (html: string): string => sanitizeHtml(html, RENDER_POLICY).trim();
