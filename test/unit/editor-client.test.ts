import { describe, expect, it } from "vitest";
import { authorizedHeaders } from "../../infra/ops/editor-client";

const sigv4 = {
  kind: "sigv4" as const,
  region: "eu-central-1",
  credentials: async () => ({
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  }),
};
const api = "https://abc123.execute-api.eu-central-1.amazonaws.com";
const at = new Date("2020-12-14T10:00:00Z");

describe("npm run editor", () => {
  it("sends the local token as a bearer", async () => {
    const headers = await authorizedHeaders(
      "http://localhost:3000",
      { method: "GET", path: "/api/admin/events" },
      { kind: "bearer", token: "t0k3n" },
    );
    expect(headers.authorization).toBe("Bearer t0k3n");
  });

  it("signs requests to the deployed API with SigV4 for execute-api in the API's region", async () => {
    const headers = await authorizedHeaders(
      api,
      { method: "POST", path: "/api/admin/events", body: "{}" },
      sigv4,
      at,
    );
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20201214\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers["x-amz-date"]).toBe("20201214T100000Z");
  });

  it("signs the body, so a changed body needs a new signature", async () => {
    const signature = async (body: string) =>
      (await authorizedHeaders(api, { method: "PUT", path: "/api/admin/events/1", body }, sigv4, at))
        .authorization;
    expect(await signature('{"slug":"a"}')).not.toBe(await signature('{"slug":"b"}'));
  });
});
