import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { HttpError } from "./errors";
import type { BodyKind } from "./router";

/** The editors' bodies (events with long descriptions); routes anyone may call set a smaller cap. */
export const MAX_BODY_BYTES = 256 * 1024;

const rawBody = (event: APIGatewayProxyEventV2): Buffer | undefined => {
  if (event.body === undefined || event.body === null || event.body === "") return undefined;
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
};

const isJsonType = (contentType: string | undefined): boolean =>
  contentType === undefined || /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType);

/** Reads the body a route expects: 413 when too large, 415 on a wrong type, 400 when it is not JSON. */
export const readRequestBody = (
  event: APIGatewayProxyEventV2,
  kind: BodyKind,
  headers: Record<string, string>,
  maxBytes: number = MAX_BODY_BYTES,
): unknown => {
  if (kind === "none") return undefined;
  const bytes = rawBody(event);
  if (bytes && bytes.length > maxBytes) {
    throw new HttpError(413, `The body is larger than ${maxBytes} bytes`);
  }
  const text = bytes?.toString("utf8") ?? "";
  if (kind === "form") return text;
  if (!isJsonType(headers["content-type"])) {
    throw new HttpError(415, "The body must be JSON (Content-Type: application/json)");
  }
  if (text.trim() === "") {
    throw new HttpError(400, "The body is empty", {}, [{ path: "", message: "a JSON body is required" }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unreadable";
    throw new HttpError(400, "The body is not valid JSON", {}, [{ path: "", message: reason }]);
  }
};
