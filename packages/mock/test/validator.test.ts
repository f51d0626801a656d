import { describe, expect, it } from "vitest";
import { createSpecValidator } from "../src/openapi/validator.js";

/** A small OpenAPI 3.1 document exercising what the provider specs use. */
const document = {
  openapi: "3.1.0",
  info: { title: "Test", version: "1.0.0" },
  servers: [{ url: "https://api.example.com/v3" }],
  paths: {
    "/v2/order/{order_uuid}/refund": {
      post: {
        operationId: "Refund",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/Price" },
              example: { amount_in_cents: 5000, currency: "USD" },
            },
          },
        },
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["uuid", "created_at"],
                  properties: {
                    uuid: { type: "string" },
                    created_at: { type: "string", format: "date-time" },
                  },
                },
              },
            },
          },
          "400": { $ref: "#/components/responses/BadRequest", description: "bad" },
          "4XX": {
            description: "other client errors",
            content: {
              "application/json": {
                schema: { type: "object", required: ["message"] },
              },
            },
          },
          "404": { description: "no body" },
          default: {
            description: "anything",
            content: { "application/json": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/v2/order/search/refund": {
      post: { operationId: "SearchRefund", responses: { "200": { description: "ok" } } },
    },
    "/token": {
      servers: [{ url: "https://auth.example.com" }],
      post: {
        operationId: "Token",
        requestBody: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["grant_type"],
                properties: { grant_type: { const: "client_credentials" } },
              },
            },
          },
        },
        responses: { "200": { description: "ok" } },
      },
    },
  },
  components: {
    schemas: {
      Price: {
        type: "object",
        required: ["amount_in_cents", "currency"],
        additionalProperties: false,
        properties: {
          amount_in_cents: { type: "integer", example: 100 },
          currency: {
            type: "string",
            enum: ["USD", "EUR"],
            xml: { name: "currency" },
            externalDocs: { url: "https://www.iso.org/iso-4217-currency-codes.html" },
            "x-refundkit-note": "OpenAPI keywords must not break Ajv",
          },
        },
      },
      Error: {
        type: "object",
        required: ["code"],
        properties: { code: { type: "string" } },
        discriminator: { propertyName: "code" },
      },
    },
    responses: {
      BadRequest: {
        description: "bad",
        content: {
          "application/json": {
            schema: { type: "array", items: { $ref: "#/components/schemas/Error" } },
          },
        },
      },
    },
  },
};

describe("createSpecValidator", () => {
  const validator = createSpecValidator(document);

  it("lists operationIds in document order", () => {
    expect(validator.operationIds).toEqual(["Refund", "SearchRefund", "Token"]);
  });

  it("validates a request body through component refs", () => {
    expect(
      validator.validateRequestBody("Refund", { amount_in_cents: 5000, currency: "USD" }),
    ).toEqual({ valid: true });
    const result = validator.validateRequestBody("Refund", {
      amount_in_cents: 50.5,
      currency: "GBP",
      extra: true,
    });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        "/amount_in_cents must be integer",
        expect.stringContaining("/currency must be equal to one of the allowed values"),
        "(body) must NOT have additional properties 'extra'",
      ]),
    );
  });

  it("requires a required body and refuses a body where none is declared", () => {
    expect(validator.validateRequestBody("Refund", undefined)).toEqual({
      valid: false,
      errors: ["Refund requires a request body"],
    });
    expect(validator.validateRequestBody("SearchRefund", undefined)).toEqual({ valid: true });
    expect(validator.validateRequestBody("SearchRefund", { a: 1 }).valid).toBe(false);
    expect(validator.validateRequestBody("Token", undefined)).toEqual({ valid: true });
  });

  it("picks the declared media type, and refuses one that is not declared", () => {
    const form = { grant_type: "client_credentials" };
    expect(validator.validateRequestBody("Token", form)).toEqual({ valid: true });
    expect(
      validator.validateRequestBody(
        "Token",
        form,
        "application/x-www-form-urlencoded; charset=UTF-8",
      ),
    ).toEqual({ valid: true });
    expect(validator.validateRequestBody("Token", { grant_type: "password" }).valid).toBe(false);
    expect(validator.validateRequestBody("Token", form, "application/json").valid).toBe(false);
  });

  it("validates responses by exact status, range, then default, following response refs", () => {
    const ok = { uuid: "u", created_at: "2026-03-11T20:22:32.348Z" };
    expect(validator.validateResponse("Refund", 200, ok)).toEqual({ valid: true });
    expect(validator.validateResponse("Refund", "200", { ...ok, created_at: "yesterday" })).toEqual(
      { valid: false, errors: ['/created_at must match format "date-time"'] },
    );
    expect(validator.validateResponse("Refund", 400, [{ code: "bad_request" }])).toEqual({
      valid: true,
    });
    expect(validator.validateResponse("Refund", 400, { code: "bad_request" }).valid).toBe(false);
    expect(validator.validateResponse("Refund", 400, [{ message: "no code" }]).valid).toBe(false);
    expect(validator.validateResponse("Refund", 422, { message: "m" })).toEqual({ valid: true });
    expect(validator.validateResponse("Refund", 422, { code: "c" }).valid).toBe(false);
    expect(validator.validateResponse("Refund", 503, "down")).toEqual({ valid: true });
    expect(validator.validateResponse("Refund", 503, { a: 1 }).valid).toBe(false);
  });

  it("accepts only an absent body for a response without content", () => {
    expect(validator.validateResponse("Refund", 404, undefined)).toEqual({ valid: true });
    expect(validator.validateResponse("Refund", 404, "")).toEqual({ valid: true });
    expect(validator.validateResponse("Refund", 404, { message: "x" }).valid).toBe(false);
  });

  it("reports unknown operations and statuses instead of passing them", () => {
    expect(validator.validateRequestBody("Nope", {})).toEqual({
      valid: false,
      errors: ['unknown operationId "Nope"'],
    });
    expect(validator.validateResponse("Nope", 200, {})).toEqual({
      valid: false,
      errors: ['unknown operationId "Nope"'],
    });
    expect(validator.validateResponse("SearchRefund", 500, {})).toEqual({
      valid: false,
      errors: ["SearchRefund has no response for status 500"],
    });
  });

  it("keeps separate documents apart and refuses duplicate operationIds", () => {
    const other = createSpecValidator({
      ...document,
      components: {
        ...document.components,
        schemas: { ...document.components.schemas, Price: { type: "string" } },
      },
    });
    expect(other.validateRequestBody("Refund", "a string").valid).toBe(true);
    expect(validator.validateRequestBody("Refund", "a string").valid).toBe(false);
    expect(() =>
      createSpecValidator({
        openapi: "3.1.0",
        paths: {
          "/a": { get: { operationId: "X", responses: {} } },
          "/b": { get: { operationId: "X", responses: {} } },
        },
      }),
    ).toThrow(/duplicate operationId "X"/);
    expect(() => createSpecValidator({ openapi: "3.1.0" })).toThrow(/no `paths`/);
  });

  it("compiles each schema once and stays fast", () => {
    const body = { amount_in_cents: 1, currency: "EUR" };
    validator.validateRequestBody("Refund", body);
    const start = performance.now();
    for (let i = 0; i < 10_000; i += 1) validator.validateRequestBody("Refund", body);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("header parameters with media types (Briqpay documents Accept and Content-Type)", () => {
  const headerDocument = {
    openapi: "3.1.0",
    info: { title: "headers", version: "1" },
    paths: {
      "/refund": {
        post: {
          operationId: "Refund",
          parameters: [
            {
              name: "Content-Type",
              in: "header",
              schema: { type: "string", enum: ["application/json"] },
            },
            {
              name: "Accept",
              in: "header",
              schema: { type: "string", enum: ["application/json"] },
            },
          ],
          responses: { "201": { description: "created" } },
        },
      },
    },
  };
  const validator = createSpecValidator(headerDocument);
  const check = (headers: Record<string, string>) =>
    validator.validateParameters("Refund", { headers }).valid;

  it("compares Content-Type by its media type, so a charset does not fail it", () => {
    expect(check({ "content-type": "application/json; charset=utf-8" })).toBe(true);
    expect(check({ "Content-Type": "Application/JSON" })).toBe(true);
    expect(check({ "content-type": "text/plain" })).toBe(false);
  });

  it("lets an Accept of only wildcards through and checks the first concrete type", () => {
    expect(check({ accept: "*/*" })).toBe(true);
    expect(check({ accept: "application/*;q=0.8, */*" })).toBe(true);
    expect(check({ accept: "application/json, text/plain" })).toBe(true);
    expect(check({ accept: "text/html" })).toBe(false);
  });
});
