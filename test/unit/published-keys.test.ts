import { describe, expect, it } from "vitest";
import {
  dropLanguageProblem,
  publisherOwns,
  unconfiguredLanguageFolderOf,
} from "../../shared/render/published-keys";

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

  it("take in the folder of a language dropped from LANGUAGES only when the rebuild is told to drop it", () => {
    expect(owns("be/events/meetup")).toBe(false);
    expect(publisherOwns({ languages: ["en", "ka"] }, ["be"])("be/events/meetup")).toBe(true);
  });
});

describe("a language a rebuild may drop", () => {
  it("is named like a language and no longer configured", () => {
    expect(dropLanguageProblem("be", ["en", "ka"])).toBeUndefined();
    expect(dropLanguageProblem("sr-Latn", ["en"])).toBeUndefined();
    expect(dropLanguageProblem("ka", ["en", "ka"])).toBe(
      '"ka" is still in LANGUAGES: take it out there first',
    );
    for (const notATag of ["assets", "", "../en", "e", "en/"]) {
      expect(dropLanguageProblem(notATag, ["en"]), notATag).toMatch(/is not a language tag/);
    }
  });

  it("shows in a rebuild's listing as a folder named like a language the configuration leaves out", () => {
    expect(unconfiguredLanguageFolderOf("be/feed.xml", ["en", "ka"])).toBe("be");
    expect(unconfiguredLanguageFolderOf("ka/feed.xml", ["en", "ka"])).toBeUndefined();
    expect(unconfiguredLanguageFolderOf("assets/feed.xml", ["en"])).toBeUndefined();
    expect(unconfiguredLanguageFolderOf("feed.xml", ["en"])).toBeUndefined();
  });
});
