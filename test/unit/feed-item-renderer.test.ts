import { describe, expect, it } from "vitest";
import { FeedItemRenderer } from "../../shared/render/feeds/feed-family";
import { buildFeedItem } from "../../shared/render/feeds/feed-item";
import { SEED_SERIES, seedEvent, TEST_CONFIG } from "./fixtures/seed-event";

const series = new Map([[SEED_SERIES.id, SEED_SERIES]]);

describe("the feed item renderer a rebuild keeps across its turns", () => {
  it("renders the item a fresh render would, and serves it again in the next turn, not the one after", () => {
    const renderer = new FeedItemRenderer(TEST_CONFIG, series);
    const event = seedEvent();
    const first = renderer.render(event, "ka");
    expect(first.item).toEqual(
      buildFeedItem(event, SEED_SERIES, "ka", TEST_CONFIG.siteUrl, TEST_CONFIG.defaultLanguage),
    );
    renderer.nextTurn();
    expect(renderer.render(event, "ka")).toBe(first);
    renderer.nextTurn();
    renderer.nextTurn();
    const later = renderer.render(event, "ka");
    expect(later).not.toBe(first);
    expect(later).toEqual(first);
  });

  it("renders a new revision of the event again", () => {
    const renderer = new FeedItemRenderer(TEST_CONFIG, series);
    const event = seedEvent();
    const first = renderer.render(event, "en");
    const revised = { ...event, revision: event.revision + 1, slug: "renamed" };
    expect(renderer.render(revised, "en").item.url).toContain("/en/events/renamed");
    expect(renderer.render(event, "en")).toBe(first);
  });
});
