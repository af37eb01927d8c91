/**
 * Lambda event-filter patterns for the table's stream, in the syntax of
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html.
 * The CDK stack passes them to the event source mappings; the local stream emulator
 * applies the same patterns, so a record reaches a handler in both worlds or in neither.
 */

/** Any change to an event that is or was visible in the feeds (drafts never touch a feed). */
export const FEED_PUBLISHER_FILTERS: Record<string, unknown>[] = [
  { dynamodb: { NewImage: { entity: { S: ["event"] }, status: { S: ["published", "cancelled"] } } } },
  {
    eventName: ["REMOVE", "MODIFY"],
    dynamodb: { OldImage: { entity: { S: ["event"] }, status: { S: ["published", "cancelled"] } } },
  },
  { dynamodb: { NewImage: { entity: { S: ["series"] } } } },
];

/**
 * An event's first publication (draft → published), which announces it; any change of a
 * published event (an edit, which may call for a notice, or its cancellation); or a request to
 * plan a mailing (status "requested": a notice or reminder the sweep found due, a resume).
 */
export const ANNOUNCER_FILTERS: Record<string, unknown>[] = [
  {
    eventName: ["MODIFY"],
    dynamodb: {
      NewImage: { entity: { S: ["event"] }, status: { S: ["published"] } },
      OldImage: { status: { S: ["draft"] } },
    },
  },
  {
    eventName: ["MODIFY"],
    dynamodb: {
      NewImage: { entity: { S: ["event"] } },
      OldImage: { entity: { S: ["event"] }, status: { S: ["published"] } },
    },
  },
  { dynamodb: { NewImage: { entity: { S: ["mailing"] }, status: { S: ["requested"] } } } },
];
