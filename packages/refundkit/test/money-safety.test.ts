/**
 * Issue 13's examples, each as a test through the facade against @refundkit/mock (and the
 * standalone clients for the path guard): errors a caller can retry safely, results that never
 * overstate what moved, in-progress answers retried, base URLs normalised, status meanings.
 */
import {
  createBriqpayClient,
  createLevelUpClient,
  createMoyasarClient,
  createOpttyClient,
  createRefunds,
  createSezzleClient,
  type RefundRequest,
} from "refundkit";
import { describe, expect, it } from "vitest";
import { IDS, MODES, refundError, useHarness } from "./harness.js";

const FAST = { baseMs: 5, maxMs: 20 };

describe.each(MODES)("%s mode", (mode) => {
  const h = useHarness(mode);

  const requests = {
    sezzle: (extra: Partial<RefundRequest> = {}) =>
      ({
        provider: "sezzle",
        orderId: IDS.sezzle,
        amount: 2_500,
        currency: "USD",
        ...extra,
      }) as RefundRequest,
    optty: (extra: Partial<RefundRequest> = {}) =>
      ({
        provider: "optty",
        orderId: IDS.optty,
        amount: 2_500,
        currency: "AUD",
        ...extra,
      }) as RefundRequest,
    moyasar: (extra: Partial<RefundRequest> = {}) =>
      ({
        provider: "moyasar",
        orderId: IDS.moyasar,
        amount: 2_500,
        currency: "SAR",
        ...extra,
      }) as RefundRequest,
  };
  const CURRENCY = { sezzle: "USD", optty: "AUD", moyasar: "SAR" } as const;
  const keyed = ["sezzle", "optty", "moyasar"] as const;

  function seed(provider: (typeof keyed)[number], amount = 10_000) {
    h.orders.seed({ provider, id: IDS[provider], amount, currency: CURRENCY[provider] });
  }
  const refunded = (provider: (typeof keyed)[number]) =>
    h.orders.get(provider, IDS[provider])?.refundedAmount;

  describe.each(keyed)("1. a retryable error can be retried safely (%s)", (provider) => {
    it("reset after commit on every attempt: network_error carries the key; retrying with it refunds once", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "reset_after_commit", count: 3 });
      const refunds = h.connect(undefined, { maxRetries: 2, backoff: FAST });
      const error = await refundError(refunds.refund(requests[provider]()));
      expect(error).toMatchObject({ code: "network_error", retryable: true });
      expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      // What went on the wire is the handle the error names.
      const sent = h
        .refundCalls(provider)
        .map((call) =>
          provider === "sezzle"
            ? call.headers["sezzle-request-id"]
            : provider === "optty"
              ? JSON.parse(call.body).refundReference
              : JSON.parse(call.body).transaction_id,
        );
      expect(new Set(sent)).toEqual(new Set([error.idempotencyKey]));
      expect(refunded(provider)).toBe(2_500);

      const result = await refunds.refund(
        requests[provider]({ idempotencyKey: error.idempotencyKey ?? undefined }),
      );
      expect(result).toMatchObject({ amount: 2_500, idempotencyKey: error.idempotencyKey });
      expect(refunded(provider)).toBe(2_500);
      expect(h.orders.get(provider, IDS[provider])?.refunds).toHaveLength(1);
    });
  });

  describe.each(keyed)("a refusal after an attempt that may have refunded (%s)", (provider) => {
    it("reset after commit, then 401 on the retry: network_error with the key, not authentication_failed", async () => {
      seed(provider);
      h.faults.inject({ provider, kind: "reset_after_commit" });
      // Sezzle and Optty fetch a new token after a 401 and send once more: two refusals.
      h.faults.inject({ provider, kind: "expired_token", count: provider === "moyasar" ? 1 : 2 });
      const refunds = h.connect(undefined, { maxRetries: 2, backoff: FAST });
      const error = await refundError(refunds.refund(requests[provider]()));
      // The refund was made by the first attempt: a refusal would say it was not.
      expect(refunded(provider)).toBe(2_500);
      expect(error).toMatchObject({ code: "network_error", retryable: true });
      expect(error.cause).toMatchObject({ code: "authentication_failed" });
      const result = await refunds.refund(
        requests[provider]({ idempotencyKey: error.idempotencyKey ?? undefined }),
      );
      expect(result.amount).toBe(2_500);
      expect(h.orders.get(provider, IDS[provider])?.refunds).toHaveLength(1);
    });
  });

  describe("2. a reused key never reports money that did not move", () => {
    it("Sezzle rk-7 for 1000 then 4000: invalid_request before anything is sent", async () => {
      seed("sezzle");
      const refunds = h.connect();
      await refunds.refund(requests.sezzle({ amount: 1_000, idempotencyKey: "rk-7" }));
      const sent = h.refundCalls("sezzle").length;
      const error = await refundError(
        refunds.refund(requests.sezzle({ amount: 4_000, idempotencyKey: "rk-7" })),
      );
      expect(error).toMatchObject({
        code: "invalid_request",
        status: null,
        retryable: false,
        idempotencyKey: "rk-7",
      });
      expect(h.refundCalls("sezzle")).toHaveLength(sent);
      expect(refunded("sezzle")).toBe(1_000);
    });

    it.each(keyed)(
      "%s: the same key for another order is refused before sending",
      async (provider) => {
        seed(provider);
        const other = {
          sezzle: IDS.sezzle.replace(/.$/, "e"),
          optty: "Other-Order-2",
          moyasar: IDS.moyasar.replace(/.$/, "0"),
        }[provider];
        h.orders.seed({ provider, id: other, amount: 10_000, currency: CURRENCY[provider] });
        const refunds = h.connect();
        await refunds.refund(requests[provider]({ idempotencyKey: "same-key" }));
        const error = await refundError(
          refunds.refund(requests[provider]({ orderId: other, idempotencyKey: "same-key" })),
        );
        expect(error.code).toBe("invalid_request");
        expect(h.orders.get(provider, other)?.refunds).toHaveLength(0);
      },
    );

    it.each(keyed)(
      "%s: a client that has not seen the key gets the provider's 4xx, nothing moves",
      async (provider) => {
        seed(provider);
        await h.connect().refund(requests[provider]({ amount: 1_000, idempotencyKey: "rk-8" }));
        // A new process (a new createRefunds) has no memory of the key: the provider refuses it.
        const error = await refundError(
          h.connect().refund(requests[provider]({ amount: 4_000, idempotencyKey: "rk-8" })),
        );
        expect(error).toMatchObject({ code: "invalid_request", status: 400, retryable: false });
        expect(refunded(provider)).toBe(1_000);
      },
    );

    it("the same call with the same key replays: the amount is what was refunded", async () => {
      seed("optty");
      const refunds = h.connect();
      const first = await refunds.refund(requests.optty({ amount: 1_234, idempotencyKey: "o-1" }));
      const again = await refunds.refund(requests.optty({ amount: 1_234, idempotencyKey: "o-1" }));
      expect(again).toMatchObject({ amount: 1_234, refundId: first.refundId });
      expect(refunded("optty")).toBe(1_234);
    });
  });

  describe("3. a 2xx that says the refund failed", () => {
    it("Briqpay 201 rejected: declined, not retryable, raw and refund id; nothing refunded", async () => {
      h.orders.seed({
        provider: "briqpay",
        id: IDS.briqpay,
        amount: 3_000,
        currency: "SEK",
        settleAfterMs: 0,
        settleAs: "rejected",
      });
      const error = await refundError(
        h
          .connect()
          .refund({ provider: "briqpay", orderId: IDS.briqpay, amount: 500, currency: "SEK" }),
      );
      const refund = h.orders.get("briqpay", IDS.briqpay)?.refunds[0];
      expect(error).toMatchObject({
        code: "declined",
        status: 201,
        retryable: false,
        refundId: refund?.id,
        raw: { status: "rejected", refundId: refund?.id },
      });
      expect(h.orders.get("briqpay", IDS.briqpay)?.refundedAmount).toBe(0);
    });
  });

  describe("4. in progress with retries left is retried", () => {
    it("Sezzle: timeout, then 409 in progress, then the answer: one refund, a result", async () => {
      seed("sezzle");
      h.faults.inject({ provider: "sezzle", kind: "hang" });
      h.faults.inject({ provider: "sezzle", kind: "in_progress" });
      const refunds = h.connect(undefined, { timeoutMs: 200, maxRetries: 2, backoff: FAST });
      const result = await refunds.refund(requests.sezzle());
      expect(result).toMatchObject({ status: "succeeded", amount: 2_500 });
      expect(h.refundCalls("sezzle")).toHaveLength(3);
      expect(refunded("sezzle")).toBe(2_500);
    });

    it.each(keyed)(
      "%s: in progress on every attempt is in_progress, retryable, with the key",
      async (provider) => {
        seed(provider);
        h.faults.inject({ provider, kind: "in_progress", count: 3 });
        const error = await refundError(
          h.connect(undefined, { maxRetries: 2, backoff: FAST }).refund(requests[provider]()),
        );
        expect(error).toMatchObject({ code: "in_progress", retryable: true });
        expect(error.idempotencyKey).not.toBeNull();
        expect(h.refundCalls(provider)).toHaveLength(3);
        expect(refunded(provider)).toBe(0);
      },
    );
  });

  describe("Retry-After", () => {
    it("LevelUp 429 (not retried): rate_limited with retryAfterMs", async () => {
      h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 1_000 });
      h.faults.inject({ provider: "levelup", kind: "rate_limit", retryAfterSeconds: 7 });
      const error = await refundError(
        h.connect().refund({ provider: "levelup", orderId: IDS.levelup }),
      );
      expect(error).toMatchObject({
        code: "rate_limited",
        retryable: true,
        retryAfterMs: 7_000,
        idempotencyKey: null,
      });
    });

    it("Sezzle 429 longer than the wait allowed: returned with retryAfterMs and the key", async () => {
      seed("sezzle");
      h.faults.inject({ provider: "sezzle", kind: "rate_limit", retryAfterSeconds: 120 });
      const error = await refundError(h.connect().refund(requests.sezzle()));
      expect(error).toMatchObject({ code: "rate_limited", retryable: true, retryAfterMs: 120_000 });
      expect(error.idempotencyKey).not.toBeNull();
    });
  });

  describe("no credential in an error", () => {
    it.each(["sezzle", "optty"] as const)(
      "%s: a token answer cut off mid-token is not kept in raw",
      async (provider) => {
        seed(provider);
        h.faults.inject({ provider, kind: "malformed_json", endpoint: "token" });
        const error = await refundError(h.connect().refund(requests[provider]()));
        expect(error).toMatchObject({ code: "authentication_failed", raw: null });
        expect(JSON.stringify(error)).not.toMatch(/eyJ/);
      },
    );

    it("one token failure shared by concurrent refunds: each error names its own key", async () => {
      seed("sezzle");
      h.faults.inject({ provider: "sezzle", kind: "expired_token", endpoint: "token" });
      const refunds = h.connect();
      const [a, b] = await Promise.all([
        refundError(refunds.refund(requests.sezzle({ idempotencyKey: "key-a", amount: 100 }))),
        refundError(refunds.refund(requests.sezzle({ idempotencyKey: "key-b", amount: 200 }))),
      ]);
      expect([a.idempotencyKey, b.idempotencyKey]).toEqual(["key-a", "key-b"]);
    });
  });

  describe("8. status meanings from the docs", () => {
    it("MPG 403 forbidden (a publishable key): permission_denied, not authentication_failed", async () => {
      seed("moyasar");
      const refunds = h.connect({ moyasar: { ...h.config("moyasar"), apiKey: "pk_test_abc" } });
      const error = await refundError(refunds.refund(requests.moyasar()));
      expect(error).toMatchObject({ code: "permission_denied", status: 403, retryable: false });
      expect(refunded("moyasar")).toBe(0);
    });
  });
});

describe("5. base URLs with or without the version segment (HTTP mock)", () => {
  const h = useHarness("http");

  it.each([
    ["sezzle", "/v2"],
    ["sezzle", "/v2/"],
    ["sezzle", "/"],
    ["levelup", "/v14"],
    ["moyasar", "/v1/"],
    ["briqpay", "/../"],
    ["optty", "/"],
  ] as const)("%s baseUrl + %j reaches the order", async (provider, suffix) => {
    let baseUrl: string = h.baseUrls[provider];
    // Briqpay's mock base ends in /v3: "/../" stands for the root without it.
    baseUrl = suffix === "/../" ? baseUrl.replace(/\/v3$/, "/") : `${baseUrl}${suffix}`;
    const config = { ...h.config(provider), baseUrl };
    const request = {
      sezzle: { provider: "sezzle", orderId: IDS.sezzle, amount: 100, currency: "USD" },
      optty: { provider: "optty", orderId: IDS.optty, amount: 100, currency: "AUD" },
      levelup: { provider: "levelup", orderId: IDS.levelup },
      moyasar: { provider: "moyasar", orderId: IDS.moyasar, amount: 100, currency: "SAR" },
      briqpay: { provider: "briqpay", orderId: IDS.briqpay, amount: 100, currency: "SEK" },
    }[provider] as RefundRequest;
    h.orders.seed(
      provider === "levelup"
        ? { provider, id: IDS.levelup, amount: 100 }
        : { provider, id: IDS[provider], amount: 1_000, currency: request.currency as string },
    );
    const result = await h.connect({ [provider]: config }).refund(request);
    expect(result.orderId).toBe(IDS[provider]);
    expect(h.orders.get(provider, IDS[provider])?.refunds).toHaveLength(1);
  });

  it("a base URL ending in another version is refused at createRefunds with a clear message", () => {
    let caught: unknown;
    try {
      createRefunds({ sezzle: { ...h.config("sezzle"), baseUrl: `${h.baseUrls.sezzle}/v1` } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: "RefundError", code: "invalid_request" });
    expect((caught as Error).message).toMatch(/baseUrl ends in \/v1.*\/v2/);
  });
});

describe("7. the standalone clients refuse path-changing ids", () => {
  const sent: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    sent.push(new Request(input).url);
    return new Response("{}", { status: 200 });
  };
  const base = "https://provider.invalid";
  const clients = {
    sezzle: () =>
      createSezzleClient({ baseUrl: base, token: "t", fetch }).POST(
        "/v2/order/{order_uuid}/refund",
        { params: { path: { order_uuid: ID } }, body: { amount_in_cents: 1, currency: "USD" } },
      ),
    optty: () =>
      createOpttyClient({ baseUrl: base, token: "t", fetch }).POST(
        "/orders/{orderReference}/refund",
        {
          params: { path: { orderReference: ID } },
          body: {
            refundReference: "r",
            refundAmount: { amount: 1, currency: "AUD" },
            refundDescription: "x",
          },
        },
      ),
    levelup: () =>
      createLevelUpClient({ baseUrl: base, token: "t", fetch }).POST("/v14/orders/{uuid}/refund", {
        params: { path: { uuid: ID } },
        body: { refund: {} },
      }),
    moyasar: () =>
      createMoyasarClient({ baseUrl: base, apiKey: "k", fetch }).POST("/v1/orders/{id}/refund", {
        params: { path: { id: ID } },
        body: { amount: 1 },
      }),
    briqpay: () =>
      createBriqpayClient({ baseUrl: base, username: "u", secret: "s", fetch }).POST(
        "/session/{sessionId}/order/refund",
        {
          params: { path: { sessionId: ID } },
          // biome-ignore lint/suspicious/noExplicitAny: the body is beside the point here
          body: {} as any,
        },
      ),
  } as const;
  let ID = "";

  it.each(
    Object.keys(clients).flatMap((provider) =>
      ["", ".", "..", "a/b", "a?b", "a#b", "a%2e", "a\u0000", "a\r\nb"].map(
        (id) => [provider, id] as const,
      ),
    ),
  )("%s client refuses %j, nothing is sent", async (provider, id) => {
    ID = id;
    sent.length = 0;
    const outcome = await clients[provider as keyof typeof clients]().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({ name: "RefundError", code: "invalid_request", provider });
    expect(sent).toEqual([]);
  });

  it("a safe id still goes out to the right path", async () => {
    ID = "abc-123";
    sent.length = 0;
    await clients.sezzle();
    expect(sent).toEqual([`${base}/v2/order/abc-123/refund`]);
  });
});

describe("4. one in-progress rule: what is retried is what is reported", () => {
  it.each([
    ["sezzle", 400, [{ code: "bad_request", message: "Request in progress" }]],
    ["optty", 409, { statusCode: 409, message: "Conflict" }],
    ["moyasar", 400, { message: "Initial request is still processing." }],
  ] as const)(
    "%s %d in progress on every attempt: retried, then in_progress retryable",
    async (provider, status, body) => {
      let refundAttempts = 0;
      const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (request.url.endsWith("/token")) {
          return Response.json({ access_token: "t", expires_in: 3600, token_type: "Bearer" });
        }
        refundAttempts++;
        return Response.json(body, { status });
      };
      const refunds = createRefunds(
        {
          sezzle: { baseUrl: "https://s.invalid", token: "t" },
          optty: { baseUrl: "https://o.invalid", token: "t" },
          moyasar: { baseUrl: "https://m.invalid", apiKey: "k" },
        },
        { fetch, maxRetries: 2, backoff: FAST },
      );
      const request = {
        sezzle: { provider: "sezzle", orderId: "o-1", amount: 100, currency: "USD" },
        optty: { provider: "optty", orderId: "o-1", amount: 100, currency: "AUD" },
        moyasar: { provider: "moyasar", orderId: "o-1", amount: 100, currency: "SAR" },
      }[provider] as RefundRequest;
      const error = await refundError(refunds.refund(request));
      expect(error).toMatchObject({ code: "in_progress", retryable: true, status });
      expect(error.idempotencyKey).not.toBeNull();
      expect(refundAttempts).toBe(3);
    },
  );
});
