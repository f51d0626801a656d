/**
 * The facade contract (the refundkit README: Configure, Refund): config checks, unknown and
 * unconfigured providers, capabilities, generated idempotency keys, no credential leaks, and both
 * ways of testing against @refundkit/mock (msw handlers and the HTTP server).
 */
import { inspect } from "node:util";
import { createMockHandlers, mockCredentials, startMockServer } from "@refundkit/mock";
import { setupServer } from "msw/node";
import {
  type Capabilities,
  createRefunds,
  isRefundError,
  type LifecycleCapabilities,
  PROVIDERS,
  type ProviderName,
  RefundError,
  type RefundRequest,
  type RefundsConfig,
} from "refundkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IDS, MODES, refundError, refundOf, UUID, useHarness } from "./harness.js";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function configError(run: () => unknown): RefundError {
  const error = thrown(run);
  expect(error).toBeInstanceOf(RefundError);
  return error as RefundError;
}

describe("createRefunds config checks", () => {
  const cases: [string, RefundsConfig, ProviderName, RegExp][] = [
    [
      "sezzle without environment or baseUrl",
      { sezzle: { publicKey: "a", privateKey: "b" } },
      "sezzle",
      /environment.*baseUrl/,
    ],
    [
      "optty without environment or baseUrl",
      { optty: { clientId: "a", clientSecret: "b" } },
      "optty",
      /environment.*baseUrl/,
    ],
    [
      "levelup without environment or baseUrl",
      { levelup: { token: "t" } as never },
      "levelup",
      /environment.*baseUrl/,
    ],
    [
      "moyasar without environment or baseUrl",
      { moyasar: { apiKey: "k" } as never },
      "moyasar",
      /environment.*baseUrl/,
    ],
    [
      "briqpay without environment or baseUrl",
      { briqpay: { username: "u", secret: "s" } as never },
      "briqpay",
      /environment.*baseUrl/,
    ],
    [
      "sezzle with an unknown environment",
      { sezzle: { environment: "live" as never, token: "t" } },
      "sezzle",
      /environment/,
    ],
    [
      "briqpay with an unknown environment",
      { briqpay: { environment: "live" as never, username: "u", secret: "s" } },
      "briqpay",
      /environment/,
    ],
    [
      "sezzle without credentials",
      { sezzle: { environment: "sandbox" } },
      "sezzle",
      /credentials|token|publicKey/,
    ],
    [
      "sezzle with publicKey only",
      { sezzle: { environment: "sandbox", publicKey: "p" } },
      "sezzle",
      /privateKey/,
    ],
    [
      "sezzle with privateKey only",
      { sezzle: { environment: "sandbox", privateKey: "p" } },
      "sezzle",
      /publicKey/,
    ],
    [
      "optty without credentials",
      { optty: { environment: "sandbox" } },
      "optty",
      /credentials|token|clientId/,
    ],
    [
      "optty with clientId only",
      { optty: { environment: "sandbox", clientId: "c" } },
      "optty",
      /clientSecret/,
    ],
    ["levelup without token", { levelup: { environment: "sandbox" } as never }, "levelup", /token/],
    [
      "moyasar without apiKey",
      { moyasar: { environment: "sandbox" } as never },
      "moyasar",
      /apiKey/,
    ],
    [
      "briqpay without username",
      { briqpay: { environment: "sandbox", secret: "s" } as never },
      "briqpay",
      /username/,
    ],
    [
      "briqpay without secret",
      { briqpay: { environment: "sandbox", username: "u" } as never },
      "briqpay",
      /secret/,
    ],
    [
      "a baseUrl that is not a URL",
      { moyasar: { baseUrl: "not a url", apiKey: "k" } },
      "moyasar",
      /baseUrl/,
    ],
  ];

  it.each(cases)(
    "%s: RefundError invalid_request naming the field",
    (_name, config, provider, field) => {
      const error = configError(() => createRefunds(config));
      expect({
        code: error.code,
        provider: error.provider,
        status: error.status,
        retryable: error.retryable,
      }).toEqual({
        code: "invalid_request",
        provider,
        status: null,
        retryable: false,
      });
      expect(error.message).toMatch(field);
    },
  );

  it("an unknown provider key in the config: RefundError invalid_request", () => {
    const error = configError(() => createRefunds({ stripe: { apiKey: "x" } } as never));
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/stripe/);
  });

  it("an empty config is allowed and configures nothing", () => {
    expect(createRefunds({}).providers).toEqual([]);
  });

  it.each(PROVIDERS)(
    "%s: a timeoutMs that is not positive is refused when creating, naming it",
    (provider) => {
      const config = {
        [provider]: { environment: "sandbox", ...mockCredentials[provider] },
      } as RefundsConfig;
      const error = thrown(() => createRefunds(config, { timeoutMs: 0 }));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/timeoutMs/);
    },
  );
});

describe("credentials never leak", () => {
  const SECRETS = {
    sezzlePublic: "SZPUB-leakcheck-0001",
    sezzlePrivate: "SZPRIV-leakcheck-0002",
    opttyId: "OPTTYID-leakcheck-0003",
    opttySecret: "OPTTYSECRET-leakcheck-0004",
    levelupToken: "LEVELUPTOKEN-leakcheck-0005",
    moyasarKey: "sk_test_leakcheck_0006",
    briqpayUser: "briqpay-leakcheck-user",
    briqpaySecret: "BRIQPAYSECRET-leakcheck-0007",
  };
  const mock = createMockHandlers({
    credentials: {
      sezzle: { publicKey: SECRETS.sezzlePublic, privateKey: SECRETS.sezzlePrivate },
      optty: { clientId: SECRETS.opttyId, clientSecret: SECRETS.opttySecret },
      levelup: { token: SECRETS.levelupToken },
      moyasar: { apiKey: SECRETS.moyasarKey },
      briqpay: { username: SECRETS.briqpayUser, secret: SECRETS.briqpaySecret },
    },
  });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    mock.orders.reset();
    mock.faults.clear();
  });
  afterAll(() => server.close());

  const secretValues = [
    ...Object.values(SECRETS).filter((value) => value !== SECRETS.briqpayUser),
    Buffer.from(`${SECRETS.briqpayUser}:${SECRETS.briqpaySecret}`).toString("base64"),
  ];
  function expectNoSecret(text: string) {
    for (const secret of secretValues) expect(text).not.toContain(secret);
    // Tokens the mock issued (JWT-shaped) and Basic header values.
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ|Basic [A-Za-z0-9+/=]{16,}/);
  }
  function expectErrorClean(error: unknown) {
    expect(error).toBeInstanceOf(RefundError);
    const refundError = error as RefundError;
    expectNoSecret(refundError.message);
    expectNoSecret(JSON.stringify(refundError));
    expectNoSecret(inspect(refundError, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
    expectNoSecret(String(refundError.stack));
  }

  const config: RefundsConfig = {
    sezzle: {
      environment: "sandbox",
      publicKey: SECRETS.sezzlePublic,
      privateKey: SECRETS.sezzlePrivate,
    },
    optty: { environment: "sandbox", clientId: SECRETS.opttyId, clientSecret: SECRETS.opttySecret },
    levelup: { environment: "sandbox", token: SECRETS.levelupToken },
    moyasar: { environment: "sandbox", apiKey: SECRETS.moyasarKey },
    briqpay: {
      environment: "sandbox",
      username: SECRETS.briqpayUser,
      secret: SECRETS.briqpaySecret,
    },
  };

  it("not in util.inspect or JSON.stringify of the refunds object", () => {
    const refunds = createRefunds(config);
    expectNoSecret(inspect(refunds, { depth: Number.POSITIVE_INFINITY, showHidden: true }));
    expectNoSecret(JSON.stringify(refunds));
    expect(refunds.providers).toEqual(["sezzle", "optty", "levelup", "moyasar", "briqpay"]);
  });

  it("not in config errors, even where a secret is malformed", () => {
    const errors = [
      thrown(() =>
        createRefunds({
          levelup: { environment: "sandbox", token: `bad ${SECRETS.levelupToken}` },
        }),
      ),
      thrown(() =>
        createRefunds({ moyasar: { environment: "sandbox", apiKey: `bad ${SECRETS.moyasarKey}` } }),
      ),
      thrown(() =>
        createRefunds({
          briqpay: {
            environment: "sandbox",
            username: `${SECRETS.briqpayUser}:x`,
            secret: SECRETS.briqpaySecret,
          },
        }),
      ),
      thrown(() =>
        createRefunds({
          sezzle: {
            environment: "sandbox",
            token: SECRETS.sezzlePrivate,
            privateKey: SECRETS.sezzlePrivate,
          },
        }),
      ),
      thrown(() =>
        createRefunds({
          optty: {
            environment: "sandbox",
            token: SECRETS.opttySecret,
            clientSecret: SECRETS.opttySecret,
          },
        }),
      ),
      thrown(() =>
        createRefunds({
          moyasar: { baseUrl: `https://user:${SECRETS.moyasarKey}@pg.mysr.dev`, apiKey: "k" },
        }),
      ),
    ];
    for (const error of errors) expectErrorClean(error);
  });

  it("not in the errors of refused credentials (every provider)", async () => {
    const wrong = createRefunds({
      sezzle: {
        environment: "sandbox",
        publicKey: SECRETS.sezzlePublic,
        privateKey: `${SECRETS.sezzlePrivate}x`,
      },
      optty: {
        environment: "sandbox",
        clientId: SECRETS.opttyId,
        clientSecret: `${SECRETS.opttySecret}x`,
      },
      levelup: { environment: "sandbox", token: `${SECRETS.levelupToken}x` },
      moyasar: { environment: "sandbox", apiKey: `${SECRETS.moyasarKey}x` },
      briqpay: {
        environment: "sandbox",
        username: SECRETS.briqpayUser,
        secret: `${SECRETS.briqpaySecret}x`,
      },
    });
    const requests: RefundRequest[] = [
      { provider: "sezzle", orderId: IDS.sezzle, amount: 100, currency: "USD" },
      { provider: "optty", orderId: IDS.optty, amount: 100, currency: "AUD" },
      { provider: "levelup", orderId: IDS.levelup },
      { provider: "moyasar", orderId: IDS.moyasar, amount: 100, currency: "SAR" },
      { provider: "briqpay", orderId: IDS.briqpay, amount: 100, currency: "SEK" },
    ];
    for (const request of requests) {
      const error = await refundError(wrong.refund(request));
      expect(error.code).toBe("authentication_failed");
      expectErrorClean(error);
    }
  });

  it("not in results, provider errors, or network errors", async () => {
    const refunds = createRefunds(config);
    mock.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 1_000, currency: "USD" });
    const ok = await refundOf(refunds, "sezzle", 100);
    expectNoSecret(JSON.stringify(ok));
    expectNoSecret(inspect(ok, { depth: Number.POSITIVE_INFINITY }));
    expectErrorClean(
      await refundError(
        refunds.refund({ provider: "sezzle", orderId: IDS.sezzle, amount: 5_000, currency: "USD" }),
      ),
    );
    mock.faults.inject({ provider: "levelup", kind: "reset_after_commit" });
    mock.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 1_000 });
    expectErrorClean(
      await refundError(refunds.refund({ provider: "levelup", orderId: IDS.levelup })),
    );
    // Nothing listens on port 9 of 127.0.0.1: connection refused before anything was sent.
    const offline = createRefunds(
      {
        briqpay: {
          baseUrl: "http://127.0.0.1:9/v3",
          username: SECRETS.briqpayUser,
          secret: SECRETS.briqpaySecret,
        },
      },
      {
        maxRetries: 0,
        fetch: (input: RequestInfo | URL, init?: RequestInit) => fetchBypassingMsw(input, init),
      },
    );
    const network = await refundError(
      offline.refund({ provider: "briqpay", orderId: IDS.briqpay, amount: 100, currency: "SEK" }),
    );
    expect(network).toMatchObject({ code: "network_error", status: null, retryable: true });
    expectErrorClean(network);
  });
});

/** A fetch that fails like a refused connection, whatever msw intercepts. */
async function fetchBypassingMsw(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  await request.arrayBuffer();
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error(`connect ECONNREFUSED ${new URL(request.url).host}`), {
      code: "ECONNREFUSED",
    }),
  });
}

describe("unknown and unconfigured providers, capabilities", () => {
  const h = useHarness("msw");

  it("refund() with an unknown provider rejects with RefundError invalid_request, no request", async () => {
    const error = await refundError(
      h
        .connect()
        .refund({ provider: "stripe", orderId: "o-1", amount: 1, currency: "USD" } as never),
    );
    expect(error).toMatchObject({ code: "invalid_request", status: null, retryable: false });
    expect(error.message).toMatch(/stripe/);
    expect(h.calls).toEqual([]);
  });

  it("refund() for a provider that is not configured: invalid_request naming it, no request", async () => {
    h.orders.seed({ provider: "optty", id: IDS.optty, amount: 1_000, currency: "AUD" });
    const refunds = h.connect({ sezzle: h.config("sezzle") });
    expect(refunds.providers).toEqual(["sezzle"]);
    const error = await refundError(
      refunds.refund({ provider: "optty", orderId: IDS.optty, amount: 100, currency: "AUD" }),
    );
    expect(error).toMatchObject({
      code: "invalid_request",
      provider: "optty",
      status: null,
      retryable: false,
    });
    expect(error.message).toMatch(/optty is not configured/);
    expect(h.calls).toEqual([]);
    expect(h.orders.get("optty", IDS.optty)?.refunds).toEqual([]);
  });

  it("capabilities() of all five exactly as docs/provider-behaviour.md, configured or not", () => {
    const expected: Record<ProviderName, Capabilities & LifecycleCapabilities> = {
      sezzle: {
        partialRefunds: true,
        fullRefundWithoutAmount: false,
        idempotency: "header",
        pendingResults: false,
        lineItems: false,
        retrieve: true,
        webhooks: "signed",
      },
      optty: {
        partialRefunds: true,
        fullRefundWithoutAmount: false,
        idempotency: "body",
        pendingResults: true,
        lineItems: false,
        retrieve: true,
        webhooks: "none",
      },
      levelup: {
        partialRefunds: false,
        fullRefundWithoutAmount: true,
        idempotency: "none",
        pendingResults: false,
        lineItems: false,
        retrieve: true,
        webhooks: "none",
      },
      moyasar: {
        partialRefunds: true,
        fullRefundWithoutAmount: false,
        idempotency: "body",
        pendingResults: false,
        lineItems: false,
        retrieve: false,
        webhooks: "none",
      },
      briqpay: {
        partialRefunds: true,
        fullRefundWithoutAmount: false,
        idempotency: "none",
        pendingResults: true,
        lineItems: true,
        retrieve: true,
        webhooks: "read-back",
      },
    };
    const none = createRefunds({});
    const all = h.connect();
    for (const provider of PROVIDERS) {
      expect(none.capabilities(provider)).toEqual(expected[provider]);
      expect(all.capabilities(provider)).toEqual(expected[provider]);
    }
    // A copy: mutating it changes nothing.
    const copy = all.capabilities("sezzle");
    copy.partialRefunds = false;
    expect(all.capabilities("sezzle").partialRefunds).toBe(true);
  });

  it("capabilities() of an unknown provider throws RefundError invalid_request", () => {
    const error = configError(() => createRefunds({}).capabilities("stripe" as never));
    expect(error.code).toBe("invalid_request");
    expect(isRefundError(error)).toBe(true);
  });

  it("generated idempotency keys: a fresh UUID per call, returned and sent; null where there is no handle", async () => {
    h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 10_000, currency: "USD" });
    h.orders.seed({ provider: "optty", id: IDS.optty, amount: 10_000, currency: "AUD" });
    h.orders.seed({ provider: "moyasar", id: IDS.moyasar, amount: 10_000, currency: "SAR" });
    h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 10_000 });
    h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 10_000, currency: "SEK" });
    const refunds = h.connect();
    for (const [provider, currency] of [
      ["sezzle", "USD"],
      ["optty", "AUD"],
      ["moyasar", "SAR"],
    ] as const) {
      const request = { provider, orderId: IDS[provider], amount: 100, currency } as RefundRequest;
      const first = await refunds.refund(request);
      const second = await refunds.refund(request);
      expect(first.idempotencyKey).toMatch(UUID);
      expect(second.idempotencyKey).toMatch(UUID);
      expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
      expect(h.orders.get(provider, IDS[provider])?.refunds.map((r) => r.idempotencyKey)).toEqual([
        first.idempotencyKey,
        second.idempotencyKey,
      ]);
    }
    const levelup = await refunds.refund({ provider: "levelup", orderId: IDS.levelup });
    const briqpay = await refundOf(refunds, "briqpay", 100);
    expect(levelup.idempotencyKey).toBeNull();
    expect(briqpay.idempotencyKey).toBeNull();
  });
});

describe("both ways of running the mock work with the facade", () => {
  for (const mode of MODES) {
    describe(`${mode} mode`, () => {
      const h = useHarness(mode);
      it("every provider refunds once and the ledger shows it", async () => {
        h.orders.seed({ provider: "sezzle", id: IDS.sezzle, amount: 10_000, currency: "USD" });
        h.orders.seed({ provider: "optty", id: IDS.optty, amount: 2_498, currency: "AUD" });
        h.orders.seed({ provider: "levelup", id: IDS.levelup, amount: 1_500 });
        h.orders.seed({ provider: "moyasar", id: IDS.moyasar, amount: 262_346, currency: "SAR" });
        h.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3_000, currency: "SEK" });
        const refunds = h.connect();
        const results = [
          await refundOf(refunds, "sezzle", 2_500),
          await refundOf(refunds, "optty", 1_000),
          await refunds.refund({ provider: "levelup", orderId: IDS.levelup }),
          await refundOf(refunds, "moyasar", 10_000),
          await refundOf(refunds, "briqpay", 1_000),
        ];
        expect(results.map((r) => [r.provider, r.status, r.amount])).toEqual([
          ["sezzle", "succeeded", 2_500],
          ["optty", "succeeded", 1_000],
          ["levelup", "succeeded", 1_500],
          ["moyasar", "succeeded", 10_000],
          ["briqpay", "pending", 1_000],
        ]);
        expect(
          h.orders.list().map((o) => [o.provider, o.refunds.length, o.refundedAmount]),
        ).toEqual([
          ["sezzle", 1, 2_500],
          ["optty", 1, 1_000],
          ["levelup", 1, 1_500],
          ["moyasar", 1, 10_000],
          ["briqpay", 1, 1_000],
        ]);
      });
    });
  }

  describe("HTTP mode, configured the shortest documented way", () => {
    let server: Awaited<ReturnType<typeof startMockServer>>;
    beforeAll(async () => {
      server = await startMockServer({ port: 0 });
    });
    afterAll(() => server.close());

    it("Briqpay accepts the API root as baseUrl (/v3 appended)", async () => {
      server.orders.seed({ provider: "briqpay", id: IDS.briqpay, amount: 3_000, currency: "SEK" });
      const refunds = createRefunds({
        briqpay: { baseUrl: `${server.url}/briqpay`, ...server.credentials.briqpay },
      });
      const result = await refundOf(refunds, "briqpay", 100);
      expect(result).toMatchObject({ status: "pending", amount: 100 });
      expect(server.orders.get("briqpay", IDS.briqpay)?.refunds).toHaveLength(1);
    });

    it("Optty with baseUrl alone (token at <baseUrl>/token, as the optty client documents)", async () => {
      server.orders.seed({ provider: "optty", id: IDS.optty, amount: 2_498, currency: "AUD" });
      const refunds = createRefunds({
        optty: { baseUrl: server.baseUrls.optty, ...server.credentials.optty },
      });
      const result = await refundOf(refunds, "optty", 100);
      expect(result).toMatchObject({ status: "succeeded", amount: 100 });
    });
  });
});
