import { describe, expect, it } from "vitest";
import { errorCodeForStatus, readJsonBody, refusalIn } from "../src/http.js";

describe("readJsonBody", () => {
  it("parses JSON and keeps the text", async () => {
    expect(await readJsonBody(new Response('[{"code":"invalid"}]'))).toEqual({
      text: '[{"code":"invalid"}]',
      json: [{ code: "invalid" }],
    });
  });

  it("does not throw on empty or malformed bodies", async () => {
    expect(await readJsonBody(new Response(null, { status: 404 }))).toEqual({
      text: "",
      json: undefined,
    });
    expect(await readJsonBody(new Response("  \n"))).toEqual({ text: "  \n", json: undefined });
    expect(await readJsonBody(new Response("<html>502 Bad Gateway</html>"))).toEqual({
      text: "<html>502 Bad Gateway</html>",
      json: undefined,
    });
    expect(await readJsonBody(new Response('{"a":'))).toEqual({ text: '{"a":', json: undefined });
  });

  it("still rejects when the body fails to arrive", async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.error(new Error("socket closed"));
      },
    });
    await expect(readJsonBody(new Response(body))).rejects.toThrow();
  });
});

describe("errorCodeForStatus", () => {
  it("maps statuses to default codes", () => {
    expect(
      [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 418, 302].map(errorCodeForStatus),
    ).toEqual([
      "invalid_request",
      "authentication_failed",
      "permission_denied",
      "not_found",
      "in_progress",
      "declined",
      "rate_limited",
      "provider_error",
      "provider_error",
      "provider_error",
      "provider_error",
      "provider_error",
    ]);
  });
});

describe("refusalIn", () => {
  const rows: [string, ReturnType<typeof refusalIn>][] = [
    ["You can only refund amount up to AUD 24.98", "amount_exceeds_refundable"],
    [
      "The amount must be less than or equal to the refundable amount (600).",
      "amount_exceeds_refundable",
    ],
    ["refund amount exceeds the remaining captured amount", "amount_exceeds_refundable"],
    ["Refund amount is greater than the captured amount", "amount_exceeds_refundable"],
    ["amount too large", "amount_exceeds_refundable"],
    [
      "The refund was unsuccessful. Perhaps this order has already been refunded or was unsuccessful.",
      "already_refunded",
    ],
    ["Order is already fully refunded", "already_refunded"],
    ["The value must be greater than or equal to 1.", undefined],
    ["amount must be at least 1", undefined],
    ["Order is not refundable", undefined],
    ["Unexpected token a in JSON at position 157", undefined],
    ["", undefined],
  ];
  it.each(rows)("%s -> %s", (message, expected) => {
    expect(refusalIn(message)).toBe(expected);
  });
  it("says nothing without a message", () => {
    expect(refusalIn(undefined)).toBeUndefined();
  });
});
