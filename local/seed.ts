import { SEED_EVENT, SEED_SERIES, SEED_SERIES_ID } from "./seed-data";

const call = async (baseUrl: string, adminToken: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok && response.status !== 404) {
    throw new Error(`Seeding failed: ${method} ${path} answered ${response.status} ${JSON.stringify(json)}`);
  }
  return { status: response.status, json };
};

/**
 * On the first start (the seed series does not exist yet) creates the series and publishes the
 * seed event through the editors' API, exactly as an editor would. Returns whether it seeded.
 */
export const seedOnFirstStart = async (baseUrl: string, adminToken: string): Promise<boolean> => {
  const existing = await call(baseUrl, adminToken, "GET", `/api/admin/series/${SEED_SERIES_ID}`);
  if (existing.status === 200) return false;
  await call(baseUrl, adminToken, "PUT", `/api/admin/series/${SEED_SERIES_ID}`, SEED_SERIES);
  const created = await call(baseUrl, adminToken, "POST", "/api/admin/events", SEED_EVENT);
  await call(baseUrl, adminToken, "POST", `/api/admin/events/${created.json.id}/publish`);
  return true;
};
