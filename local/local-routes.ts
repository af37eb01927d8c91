/** The local front's stand-in for invoking the publisher with a rebuild request (local only; POST with the admin token). */
export const LOCAL_REBUILD_PATH = "/_local/rebuild";
