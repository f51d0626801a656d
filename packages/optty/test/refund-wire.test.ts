import { RefundError } from "@refundkit/core";
import { captureRequests, useMswServer } from "@refundkit/test-utils";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { opttyAdapter } from "../src/index.js";
import { API, REFUND_OK, REFUND_URL } from "./helpers.js";

const server = useMswServer();

/** Records every request to the API host, answering the documented body with a 201. */
const capture = () =>
  captureRequests(server, `${API}/*`, () => HttpResponse.json(REFUND_OK, { status: 201 }));

const connect = () =>
  opttyAdapter.connect({ environment: "sandbox", token: "jwt-static" }, { maxRetries: 0 });

describe("refund request on the wire", () => {
  it("2498 AUD -> POST /orders/{ref}/refund with amount 24.98 and the exact body", async () => {
    const seen = capture();
    await connect().refund({
      orderId: "TgEHcPtpN2HSrTMK",
      amount: 2498,
      currency: "AUD",
      idempotencyKey: "TgEHcPtpN2HSrTMK-0",
      reason: "Please refund this order",
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe(`${API}/orders/TgEHcPtpN2HSrTMK/refund`);
    expect(seen[0]?.headers.authorization).toBe("Bearer jwt-static");
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.body).toBe(
      '{"refundReference":"TgEHcPtpN2HSrTMK-0","refundAmount":{"amount":24.98,"currency":"AUD"},"refundDescription":"Please refund this order"}',
    );
  });

  const amounts: [number, string, string][] = [
    [10000, "AUD", '"amount":100'],
    [7, "USD", '"amount":0.07'],
    [1010, "USD", '"amount":10.1'],
    [100, "JPY", '"amount":100'],
    [1000, "KWD", '"amount":1'],
    [1230, "BHD", '"amount":1.23'],
    [900719925474099, "USD", '"amount":9007199254740.99'],
  ];
  it.each(amounts)("%i %s minor units -> %s", async (amount, currency, fragment) => {
    const seen = capture();
    await connect().refund({ orderId: "o1", amount, currency });
    expect(seen[0]?.body).toContain(`"refundAmount":{${fragment},"currency":"${currency}"}`);
  });

  it("an amount needing 3 decimals (1005 KWD) is refused before sending", async () => {
    let sent = 0;
    server.use(
      http.all("*", () => {
        sent += 1;
        return HttpResponse.json(REFUND_OK);
      }),
    );
    const error = await connect()
      .refund({ orderId: "o1", amount: 1005, currency: "KWD" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "invalid_request" });
    expect(sent).toBe(0);
  });

  it("without reason the description is 'Refund'; refundReference is the generated key", async () => {
    const seen = capture();
    const result = await connect().refund({ orderId: "o1", amount: 100, currency: "AUD" });
    const body = JSON.parse(seen[0]?.body ?? "{}") as Record<string, unknown>;
    expect(body.refundDescription).toBe("Refund");
    expect(body.refundReference).toBe(result.idempotencyKey);
    expect(body).not.toHaveProperty("isActivatedViaOAuth");
  });

  it("the request goes to the refund path only (no other route used)", async () => {
    server.use(http.post(REFUND_URL, () => HttpResponse.json(REFUND_OK)));
    await expect(
      connect().refund({ orderId: "o1", amount: 100, currency: "AUD" }),
    ).resolves.toMatchObject({ status: "succeeded" });
  });
});
