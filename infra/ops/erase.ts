import { callAdminApi, printResponse } from "./admin-api-call";

/**
 * `npm run erase -- <address>`: removes a person from eventcast (subscriber record, request
 * counters, delivery ledger). Locally it uses the token npm start keeps; deployed, set
 * EVENTCAST_API_URL and use the credentials of a principal listed in `privacyOperators`. The
 * address travels in the request body, never in a URL, so it lands in no access log.
 */
const [email, extra] = process.argv.slice(2);
if (!email || extra !== undefined) {
  console.error("usage: npm run erase -- <address>");
  process.exit(2);
}
await printResponse(
  await callAdminApi({ method: "POST", path: "/api/admin/erasures", body: JSON.stringify({ email }) }),
);
