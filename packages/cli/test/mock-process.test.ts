/**
 * `refundkit mock` as another process would use it: the built CLI serves the mock providers, and
 * curl alone seeds orders, refunds in each provider's own wire format, reads the ledger back, and
 * gets each provider's own error shape for bad auth and bad bodies. Needs the build (the test
 * command builds first).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = fileURLToPath(new URL("../dist/bin.mjs", import.meta.url));
const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";

let child: ChildProcess;
let url = "";

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
  child = spawn(process.execPath, [bin, "mock", "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /mock providers on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`refundkit mock exited with ${code}: ${out}`)));
  });
}, 20_000);

afterAll(() => {
  child?.kill("SIGTERM");
});

/** curl, and nothing else: status and parsed body (or the raw text). */
async function curl(...args: string[]): Promise<{ status: number; body: unknown }> {
  const { stdout } = await run("curl", ["-s", "-w", "\n%{http_code}", ...args]);
  const cut = stdout.lastIndexOf("\n");
  const text = stdout.slice(0, cut);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: Number(stdout.slice(cut + 1)), body };
}

const json = (body: unknown) => [
  "-H",
  "content-type: application/json",
  "-d",
  JSON.stringify(body),
];
const seed = (order: Record<string, unknown>) =>
  curl("-X", "POST", `${url}/__mock/orders`, ...json(order));

describe("refundkit mock, driven by curl from another process", () => {
  it("Sezzle: token, refund with Sezzle-Request-Id, bad token, bad body", async () => {
    expect(
      (await seed({ provider: "sezzle", id: "sz-1", amount: 5000, currency: "USD" })).status,
    ).toBe(201);
    const auth = await curl(
      "-X",
      "POST",
      `${url}/sezzle/v2/authentication`,
      ...json({ public_key: "sz_pub_mock", private_key: "sz_pr_mock" }),
    );
    const token = (auth.body as { token: string }).token;
    expect(auth.status).toBe(200);
    const refund = await curl(
      "-X",
      "POST",
      `${url}/sezzle/v2/order/sz-1/refund`,
      "-H",
      `authorization: Bearer ${token}`,
      "-H",
      "sezzle-request-id: r-1",
      ...json({ amount_in_cents: 1200, currency: "USD" }),
    );
    expect(refund).toMatchObject({ status: 200, body: { uuid: expect.any(String) } });
    expect(
      await curl(
        "-X",
        "POST",
        `${url}/sezzle/v2/order/sz-1/refund`,
        "-H",
        "authorization: Bearer nope",
        ...json({ amount_in_cents: 1, currency: "USD" }),
      ),
    ).toEqual({
      status: 401,
      body: [{ code: "unauthorized", message: "authorization not accepted" }],
    });
    const bad = await curl(
      "-X",
      "POST",
      `${url}/sezzle/v2/order/sz-1/refund`,
      "-H",
      `authorization: Bearer ${token}`,
      ...json({ amount_in_cents: "12" }),
    );
    expect(bad).toMatchObject({ status: 400, body: [{ code: "bad_request" }] });
  });

  it("Optty: form-encoded token, decimal refund, over-refund, bad token", async () => {
    await seed({ provider: "optty", id: "op-1", amount: 2498, currency: "AUD" });
    const auth = await curl(
      "-X",
      "POST",
      `${url}/optty/token`,
      "-d",
      "client_id=optty-mock-client",
      "-d",
      "client_secret=optty-mock-secret",
      "-d",
      "grant_type=client_credentials",
      "-d",
      "scope=api-user",
    );
    const token = (auth.body as { access_token: string }).access_token;
    const body = (amount: number, ref: string) =>
      json({
        refundReference: ref,
        refundAmount: { amount, currency: "AUD" },
        refundDescription: "Returned",
      });
    const ok = await curl(
      "-X",
      "POST",
      `${url}/optty/orders/op-1/refund`,
      "-H",
      `authorization: Bearer ${token}`,
      ...body(10.5, "ref-1"),
    );
    expect(ok).toMatchObject({
      status: 201,
      body: { refundReference: "ref-1", refundedAmount: 10.5, refundStatus: "SUCCESSFUL" },
    });
    const over = await curl(
      "-X",
      "POST",
      `${url}/optty/orders/op-1/refund`,
      "-H",
      `authorization: Bearer ${token}`,
      ...body(20, "ref-2"),
    );
    expect(over).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        message: "You can only refund amount up to AUD 14.48",
        error: "Bad Request",
      },
    });
    expect(
      (
        await curl(
          "-X",
          "POST",
          `${url}/optty/orders/op-1/refund`,
          "-H",
          "authorization: Bearer nope",
          ...body(1, "ref-3"),
        )
      ).body,
    ).toEqual({ statusCode: 401, message: "Unauthorized" });
  });

  it("LevelUp: full refund, second refund 422, unknown order empty 404", async () => {
    await seed({ provider: "levelup", id: "lu-1", amount: 1500 });
    const auth = ["-H", "authorization: token levelup-mock-token"];
    const ok = await curl(
      "-X",
      "POST",
      `${url}/levelup/v14/orders/lu-1/refund`,
      ...auth,
      ...json({ refund: {} }),
    );
    expect(ok).toMatchObject({
      status: 200,
      body: { order: { uuid: "lu-1", total_amount: 1500, refunded_at: expect.any(String) } },
    });
    const again = await curl(
      "-X",
      "POST",
      `${url}/levelup/v14/orders/lu-1/refund`,
      ...auth,
      ...json({ refund: {} }),
    );
    expect(again).toMatchObject({
      status: 422,
      body: [{ error: { object: "order", property: "base" } }],
    });
    expect(
      await curl(
        "-X",
        "POST",
        `${url}/levelup/v14/orders/nope/refund`,
        ...auth,
        ...json({ refund: {} }),
      ),
    ).toEqual({ status: 404, body: "" });
  });

  it("MPG: refund by transaction_id, replay, 422 validation, 401 and 403", async () => {
    await seed({ provider: "moyasar", id: "mp-1", amount: 5000, currency: "SAR" });
    const auth = ["-H", "authorization: Bearer sk_test_mock"];
    const first = await curl(
      "-X",
      "POST",
      `${url}/moyasar/v1/orders/mp-1/refund`,
      ...auth,
      ...json({ amount: 700, transaction_id: "tx-1" }),
    );
    expect(first).toMatchObject({ status: 200, body: { id: "mp-1", refunded_amount: 700 } });
    const replay = await curl(
      "-X",
      "POST",
      `${url}/moyasar/v1/orders/mp-1/refund`,
      ...auth,
      ...json({ amount: 700, transaction_id: "tx-1" }),
    );
    expect(replay).toEqual(first);
    expect(
      await curl(
        "-X",
        "POST",
        `${url}/moyasar/v1/orders/mp-1/refund`,
        ...auth,
        ...json({ amount: 0 }),
      ),
    ).toEqual({
      status: 422,
      body: {
        message: "Data validation failed",
        errors: { amount: ["The value must be greater than or equal to 1."] },
      },
    });
    expect(
      await curl("-X", "POST", `${url}/moyasar/v1/orders/mp-1/refund`, ...json({ amount: 1 })),
    ).toEqual({ status: 401, body: { message: "Missing authentication information" } });
    expect(
      await curl(
        "-X",
        "POST",
        `${url}/moyasar/v1/orders/mp-1/refund`,
        "-H",
        "authorization: Bearer pk_test_publishable",
        ...json({ amount: 1 }),
      ),
    ).toEqual({ status: 403, body: { message: "Unauthorized" } });
  });

  it("Briqpay: basic auth, adjustment-line refund pending, bad body, bad credentials", async () => {
    await seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
    const order = {
      amountIncVat: 1000,
      amountExVat: 1000,
      currency: "SEK",
      cart: [
        {
          productType: "adjustment",
          name: "Refund",
          quantity: 1,
          quantityUnit: "pc",
          unitPrice: 1000,
          taxRate: 0,
        },
      ],
    };
    const path = `${url}/briqpay/v3/session/${SESSION}/order/refund`;
    const ok = await curl(
      "-X",
      "POST",
      path,
      "-u",
      "briqpay-mock-merchant:briqpay-mock-secret",
      ...json({ data: { order } }),
    );
    expect(ok).toMatchObject({
      status: 201,
      body: { status: "pending", amountIncVat: 1000, currency: "SEK" },
    });
    const bad = await curl(
      "-X",
      "POST",
      path,
      "-u",
      "briqpay-mock-merchant:briqpay-mock-secret",
      ...json({ data: {} }),
    );
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "INVALID_DATA" } } });
    const refused = await curl(
      "-X",
      "POST",
      path,
      "-u",
      "briqpay-mock-merchant:wrong",
      ...json({ data: { order } }),
    );
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: "INVALID_CREDENTIALS" } },
    });
  });

  it("the ledger reads back every order with its refunds; unknown routes answer 404", async () => {
    const { status, body } = await curl(`${url}/__mock/orders`);
    expect(status).toBe(200);
    const orders = (
      body as { orders: { provider: string; id: string; refunds: { amount: number }[] }[] }
    ).orders;
    const refunded = Object.fromEntries(
      orders.map((o) => [`${o.provider}/${o.id}`, o.refunds.map((r) => r.amount)]),
    );
    expect(refunded).toMatchObject({
      "sezzle/sz-1": [1200],
      "optty/op-1": [1050],
      "levelup/lu-1": [1500],
      "moyasar/mp-1": [700],
      [`briqpay/${SESSION}`]: [1000],
    });
    expect((await curl(`${url}/nowhere`)).status).toBe(404);
    expect((await curl(`${url}/__mock/providers`)).body).toMatchObject({
      url,
      baseUrls: { briqpay: `${url}/briqpay/v3` },
    });
  });
});
