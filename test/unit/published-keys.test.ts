import { describe, expect, it } from "vitest";
import { publisherOwns } from "../../shared/render/published-keys";

const owns = publisherOwns({ languages: ["en", "ka", "sr-Latn"] });

describe("the keys the publisher owns", () => {
  it("are the feeds, pages and crawler files it renders, in every configured language", () => {
    for (const key of [
      "feed.xml",
      "events.ics",
      "archive/2030-01/feed.json",
      "series/ict/feed.xml",
      "index.html",
      "404.html",
      "robots.txt",
      "sitemap.xml",
      "sitemaps/2030-01.xml",
      "en/events/meetup",
      "ka/series/ict/archive/2030-05/feed.xml",
      "sr-Latn/past/2030-02/index.html",
    ]) {
      expect(owns(key), key).toBe(true);
    }
  });

  it("take in pages of older layouts under a language folder", () => {
    expect(owns("en/past/2/index.html")).toBe(true);
  });

  it("leave out whatever else an operator keeps in the bucket, and folders of languages not configured (they may not be ours)", () => {
    for (const key of [
      "favicon.ico",
      ".well-known/security.txt",
      "google0123456789abcdef.html",
      "assets/logo.svg",
      "english/index.html",
      "de/index.html",
      "sitemap.xml.gz",
    ]) {
      expect(owns(key), key).toBe(false);
    }
  });
});
