import sanitizeHtml from "sanitize-html";

/** The HTML editors may use in an event body: structure and links, nothing that runs or embeds. */
const BODY_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "lang"], "*": ["lang", "dir"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // Feed readers resolve relative links against unknown bases: keep only absolute ones.
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      return { tagName, attribs: href && /^(https?:|mailto:)/i.test(href) ? { ...rest, href } : rest };
    },
  },
};

/** Sanitises editor HTML with the allow-list; scripts, handlers, styles, iframes and embeds are dropped. */
export const sanitizeBodyHtml = (html: string): string => sanitizeHtml(html, BODY_POLICY).trim();
