/**
 * Answers that break after the status line: a 2xx whose body is cut or stalls still means the
 * money moved, so it must resolve as a result (raw null), never reject; an error whose body
 * stalls is a timeout. A raw node:http server plays every provider, since no mock should
 * misbehave this way on purpose.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRefunds, RefundError, type RefundRequest } from "../src/index.js";

type Behaviour = "cut" | "stall";
let behaviour: Behaviour = "cut";
let status = 200;
let server: Server;
let base = "";

function handle(request: IncomingMessage, response: ServerResponse) {
  request.resume();
  request.on("end", () => {
    if (request.url?.endsWith("/v2/authentication") || request.url?.endsWith("/token")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          token: "t",
          expiration_date: "2099-01-01T00:00:00Z",
          access_token: "t",
          expires_in: 86400,
        }),
      );
      return;
    }
    response.writeHead(status, { "content-type": "application/json", "content-length": "400" });
    response.write('{"uuid": "6c9db5d4-d09a-4224-');
    if (behaviour === "cut") setTimeout(() => response.socket?.destroy(), 20);
    // "stall": nothing more is sent; the client's attempt timeout must end it.
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const refunds = () =>
  createRefunds(
    {
      sezzle: { baseUrl: `${base}/sezzle`, publicKey: "pk", privateKey: "sk" },
      optty: { baseUrl: `${base}/optty`, clientId: "id", clientSecret: "secret" },
      levelup: { baseUrl: `${base}/levelup`, token: "t" },
      moyasar: { baseUrl: `${base}/moyasar`, apiKey: "k" },
      briqpay: { baseUrl: `${base}/briqpay`, username: "u", secret: "s" },
    },
    { timeoutMs: 300, maxRetries: 0 },
  );

const requests: RefundRequest[] = [
  { provider: "sezzle", orderId: "o-1", amount: 500, currency: "USD" },
  { provider: "optty", orderId: "o-1", amount: 500, currency: "AUD" },
  { provider: "levelup", orderId: "o-1" },
  { provider: "moyasar", orderId: "o-1", amount: 500, currency: "SAR" },
  {
    provider: "briqpay",
    orderId: "c5674f4f-7e84-405c-a44b-c83736bb7209",
    amount: 500,
    currency: "SEK",
  },
];

describe.each(requests)("$provider", (request) => {
  it("a 2xx whose body is cut mid-way resolves (the money moved), raw null", async () => {
    behaviour = "cut";
    status = request.provider === "briqpay" || request.provider === "optty" ? 201 : 200;
    const result = await refunds().refund(request);
    expect(result.provider).toBe(request.provider);
    expect(result.orderId).toBe(request.orderId);
    expect(["succeeded", "pending"]).toContain(result.status);
    expect(result.raw).toBeNull();
  });

  it("a 2xx whose body stalls past the attempt's time resolves too", async () => {
    behaviour = "stall";
    status = 200;
    const result = await refunds().refund(request);
    expect(result.raw).toBeNull();
  });

  it("an error status whose body stalls is a timeout RefundError", async () => {
    behaviour = "stall";
    status = 500;
    const error = await refunds()
      .refund(request)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RefundError);
    expect(error).toMatchObject({ code: "timeout", provider: request.provider, status: null });
  });
});
