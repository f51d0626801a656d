import { type CapturedRequest, captureRequests, useMswServer } from "@refundkit/test-utils";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { briqpayAdapter } from "../src/index.js";

const ROOT = "https://playground-api.briqpay.com";
const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";
const CAPTURE = "0e0f7f5a-2f44-4d1b-9a43-0d6f3c1b9d10";
const server = useMswServer();

/** Records every request to the host, answering a documented-shaped success. */
const record = (): CapturedRequest[] =>
  captureRequests(server, `${ROOT}/*`, () =>
    HttpResponse.json({ refundId: "r-1", status: "pending" }, { status: 201 }),
  );

describe("briqpay refund wire", () => {
  const adapter = briqpayAdapter.connect({ environment: "sandbox", username: "u", secret: "s" });

  it("sends an amount as one adjustment line to /v3/session/{id}/order/refund", async () => {
    const seen = record();
    await adapter.refund({ orderId: SESSION, amount: 2500, currency: "SEK" });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe(`${ROOT}/v3/session/${SESSION}/order/refund`);
    expect(seen[0]?.headers).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from("u:s").toString("base64")}`,
    });
    expect(seen[0]?.body).toBe(
      '{"data":{"order":{"amountIncVat":2500,"amountExVat":2500,"currency":"SEK","cart":[{"productType":"adjustment","name":"Refund","quantity":1,"quantityUnit":"pc","unitPrice":2500,"taxRate":0}]}}}',
    );
  });

  it("names the adjustment line after the reason and sends captureId first", async () => {
    const seen = record();
    await adapter.refund({
      orderId: SESSION,
      captureId: CAPTURE,
      amount: 100,
      currency: "EUR",
      reason: "Damaged in transit",
    });
    expect(seen[0]?.body).toBe(
      `{"captureId":"${CAPTURE}","data":{"order":{"amountIncVat":100,"amountExVat":100,"currency":"EUR","cart":[{"productType":"adjustment","name":"Damaged in transit","quantity":1,"quantityUnit":"pc","unitPrice":100,"taxRate":0}]}}}`,
    );
  });

  it("sends a cart with computed totals and only the known line fields", async () => {
    const seen = record();
    const cart = [
      {
        productType: "physical",
        reference: "testproduct1",
        name: "Test product",
        quantity: 2,
        quantityUnit: "pc",
        unitPrice: 1200,
        taxRate: 2500,
        discountPercentage: 0,
        extra: "dropped",
      },
      { productType: "sales_tax", name: "Sales tax", reference: "sales_tax", totalTaxAmount: 1200 },
    ] as const;
    await adapter.refund({
      orderId: SESSION,
      currency: "USD",
      amount: 4200,
      cart: cart as unknown as Parameters<typeof adapter.refund>[0]["cart"],
    });
    expect(seen[0]?.body).toBe(
      '{"data":{"order":{"amountIncVat":4200,"amountExVat":2400,"currency":"USD","cart":[{"productType":"physical","reference":"testproduct1","name":"Test product","quantity":2,"quantityUnit":"pc","unitPrice":1200,"taxRate":2500,"discountPercentage":0},{"productType":"sales_tax","name":"Sales tax","reference":"sales_tax","totalTaxAmount":1200}]}}}',
    );
  });
});
