import { describe, expect, it } from "vitest";
import { ValidationError } from "../../shared/domain/errors";
import { authorizeAdmin } from "../../shared/http/editor-auth";
import { httpHandler } from "../../shared/http/http-handler";
import { apiGatewayEvent, testContext } from "../support/api-gateway-event";

const TOKEN = "local-admin-token-0123456789";
const EDITOR_USER = "arn:aws:iam::123456789012:user/editor";
const EDITOR_ROLE = "arn:aws:iam::123456789012:role/team/EventEditor";
const PRIVACY_ROLE = "arn:aws:iam::123456789012:role/PrivacyOperator";

const handler = httpHandler({
  authorize: authorizeAdmin({
    adminToken: TOKEN,
    editors: [EDITOR_USER, EDITOR_ROLE],
    privacyOperators: [PRIVACY_ROLE],
    privacyPaths: ["/things/erasures"],
  }),
  routes: [
    {
      method: "GET",
      path: "/things/{id}",
      handle: async ({ params }) => ({ statusCode: 200, body: { id: params.id } }),
    },
    {
      method: "POST",
      path: "/things/erasures",
      handle: async () => ({ statusCode: 200, body: { erased: true } }),
    },
    {
      method: "POST",
      path: "/things",
      body: "json",
      handle: async ({ body }) => ({ statusCode: 201, body }),
    },
    {
      method: "POST",
      path: "/things/{id}/check",
      handle: async () => {
        throw new ValidationError([{ path: "name", message: "must not be empty" }]);
      },
    },
    {
      method: "POST",
      path: "/things/{id}/crash",
      handle: async () => {
        throw new Error("secret database detail");
      },
    },
  ],
});

const authorized = { authorization: `Bearer ${TOKEN}` };
const call = async (...args: Parameters<typeof apiGatewayEvent>) => {
  const result = await handler(apiGatewayEvent(...args), testContext);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

describe("the HTTP plumbing every API shares", () => {
  it("routes by path and method and answers JSON", async () => {
    const response = await call("GET", "/things/42", { headers: authorized });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["Content-Type"]).toBe("application/json; charset=utf-8");
    expect(response.json).toEqual({ id: "42" });
  });

  it("adds security headers to every response", async () => {
    const response = await call("GET", "/things/42", { headers: authorized });
    expect(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase())).toContain(
      "x-content-type-options",
    );
  });

  it("answers 401 with no credentials and 403 with a wrong token", async () => {
    expect((await call("GET", "/things/42")).statusCode).toBe(401);
    expect((await call("GET", "/things/42", { headers: { authorization: "Bearer wrong" } })).statusCode).toBe(
      403,
    );
  });

  it("lets in a listed user or a session of a listed role that API Gateway authenticated with IAM", async () => {
    for (const caller of [EDITOR_USER, "arn:aws:sts::123456789012:assumed-role/EventEditor/nino"]) {
      expect((await call("GET", "/things/42", { iamUserArn: caller })).statusCode).toBe(200);
    }
  });

  it("answers 403 to any other principal, however valid its signature", async () => {
    for (const caller of [
      "arn:aws:iam::123456789012:user/ci-deployer",
      "arn:aws:sts::123456789012:assumed-role/PowerUser/someone",
      "arn:aws:sts::999999999999:assumed-role/EventEditor/nino",
      "arn:aws:iam::123456789012:user/editor2",
    ]) {
      const response = await call("GET", "/things/42", { iamUserArn: caller });
      expect({ caller, status: response.statusCode }).toEqual({ caller, status: 403 });
      expect(response.json.message).toMatch(/not an editor/);
    }
  });

  it("lets only privacy operators erase, and no editor", async () => {
    const asEditor = await call("POST", "/things/erasures", { iamUserArn: EDITOR_USER });
    expect(asEditor.statusCode).toBe(403);
    expect(asEditor.json.message).toMatch(/not a privacy operator/);
    const asOperator = await call("POST", "/things/erasures", {
      iamUserArn: "arn:aws:sts::123456789012:assumed-role/PrivacyOperator/ana",
    });
    expect(asOperator.statusCode).toBe(200);
    // A privacy operator is not an editor either.
    expect((await call("GET", "/things/42", { iamUserArn: PRIVACY_ROLE })).statusCode).toBe(403);
  });

  it("answers 404 for an unknown path and 405 with Allow for a wrong method", async () => {
    expect((await call("GET", "/nothing", { headers: authorized })).statusCode).toBe(404);
    const wrongMethod = await call("DELETE", "/things/42", { headers: authorized });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers?.Allow).toBe("GET");
  });

  it("answers 400 naming the problem for malformed JSON", async () => {
    const response = await call("POST", "/things", { body: '{"name": ', headers: authorized });
    expect(response.statusCode).toBe(400);
    expect(response.json.message).toBe("The body is not valid JSON");
    expect(response.json.errors[0].path).toBe("");
  });

  it("answers 400 for a missing body, 415 for a body that is not JSON and 413 for one too large", async () => {
    expect((await call("POST", "/things", { headers: authorized })).statusCode).toBe(400);
    const form = await call("POST", "/things", {
      body: "a=1",
      headers: { ...authorized, "content-type": "text/plain" },
    });
    expect(form.statusCode).toBe(415);
    const huge = await call("POST", "/things", {
      body: JSON.stringify({ text: "x".repeat(300_000) }),
      headers: authorized,
    });
    expect(huge.statusCode).toBe(413);
  });

  it("answers 400 with the field and reason for a validation error", async () => {
    const response = await call("POST", "/things/1/check", { headers: authorized });
    expect(response.statusCode).toBe(400);
    expect(response.json.errors).toEqual([{ path: "name", message: "must not be empty" }]);
  });

  it("answers 500 without leaking the cause for an unexpected failure", async () => {
    const response = await call("POST", "/things/1/crash", { headers: authorized });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret");
  });
});
