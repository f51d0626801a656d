import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../src/index.js";
import { briqpayAmount, SESSION, wire } from "./helpers.js";

describe("webhooks over HTTP", () => {
  let server: MockServer;
  let receiver: ReturnType<typeof createServer>;
  let receiverUrl: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = await startMockServer();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("POST /__mock/hooks registers a URL; Briqpay deliveries carry x-briq-signature with its secret", async () => {
    const admin = await fetch(`${server.url}/__mock/hooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider: "briqpay", url: receiverUrl, secret: "whsec-test" }),
    });
    expect(admin.status).toBe(201);
    const http = wire(server.baseUrls, server.credentials);
    server.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    await http.briqpayRefund(SESSION, briqpayAmount(500));
    const listing = (await (await fetch(`${server.url}/__mock/hooks`)).json()) as {
      deliveries: Array<{ status: number | null; url: string }>;
    };
    expect(listing.deliveries).toEqual([
      expect.objectContaining({ status: 200, url: receiverUrl }),
    ]);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const signature = String(delivery?.headers["x-briq-signature"]);
    const [, t, s1] = /^t=(\d+),s1=(.+)$/.exec(signature) ?? [];
    expect(s1).toBe(
      createHmac("sha256", "whsec-test").update(`${t}.${delivery?.body}`).digest("base64"),
    );
    expect(JSON.parse(delivery?.body ?? "")).toMatchObject({
      event: "refund_status",
      status: "pending",
    });
  });

  it("refuses a registration for a provider without refund webhooks", async () => {
    const admin = await fetch(`${server.url}/__mock/hooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider: "levelup", url: receiverUrl }),
    });
    expect(admin.status).toBe(400);
  });
});
