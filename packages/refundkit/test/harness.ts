/**
 * The facade against @refundkit/mock, the way a user would wire it: only `refundkit`'s public
 * exports and the mock's public API. Two modes: msw handlers in this process (clients with
 * `environment: "sandbox"`) and the mock served over real HTTP (clients with `baseUrl`).
 */

import { createKeepAliveFetch } from "@refundkit/core/node";
import {
  createMockHandlers,
  type MockBaseUrls,
  type MockCredentials,
  type MockFaults,
  type MockOrders,
  type MockProvider,
  type MockServer,
  type MockWebhooks,
  startMockServer,
} from "@refundkit/mock";
import { type CapturedRequest, captureRequest } from "@refundkit/test-utils";
import { setupServer } from "msw/node";
import {
  createRefunds,
  type ProviderName,
  RefundError,
  type RefundErrorCode,
  type RefundRequest,
  type Refunds,
  type RefundsConfig,
  type RefundsOptions,
} from "refundkit";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

export type Mode = "msw" | "http";
export const MODES: readonly Mode[] = ["msw", "http"];

/** Order ids each provider's spec routes (Briqpay session ids are UUIDs). */
export const IDS = {
  sezzle: "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  optty: "TgEHcPtpN2HSrTMK-0",
  levelup: "1esfba10ac51013149f162d2f425c456",
  moyasar: "0191f5a7-44d3-7430-8739-2d80821416bf",
  briqpay: "c5674f4f-7e84-405c-a44b-c83736bb7209",
} as const satisfies Record<ProviderName, string>;

/** Ids that exist nowhere in the ledger but are valid for the provider. */
export const MISSING_IDS = {
  sezzle: "00000000-0000-4000-8000-000000000001",
  optty: "NoSuchOrder-1",
  levelup: "0000000000000000000000000000dead",
  moyasar: "0191f5a7-0000-7000-8000-000000000000",
  briqpay: "00000000-0000-4000-8000-00000000beef",
} as const satisfies Record<ProviderName, string>;

/** The refund path of each provider, relative to its base URL, with `{id}` for the order id. */
export const REFUND_PATHS = {
  sezzle: "/v2/order/{id}/refund",
  optty: "/orders/{id}/refund",
  levelup: "/v14/orders/{id}/refund",
  moyasar: "/v1/orders/{id}/refund",
  briqpay: "/session/{id}/order/refund",
} as const satisfies Record<ProviderName, string>;

/** The refund operation of each spec, for the mock's public validator. */
export const REFUND_OPERATIONS = {
  sezzle: { operationId: "HandleRefundAmountByOrder", param: "order_uuid" },
  optty: { operationId: "RefundsController_refundOrder", param: "orderReference" },
  levelup: { operationId: "RefundOrder", param: "uuid" },
  moyasar: { operationId: "RefundOrder", param: "id" },
  briqpay: { operationId: "RefundOrder", param: "sessionId" },
} as const satisfies Record<ProviderName, { operationId: string; param: string }>;

/** The currency each provider's test orders are in (LevelUp's amounts are US cents). */
export const CURRENCIES = {
  sezzle: "USD",
  optty: "AUD",
  levelup: "USD",
  moyasar: "SAR",
  briqpay: "SEK",
} as const satisfies Record<ProviderName, string>;

/** The providers that refund an amount (all but LevelUp, which refunds whole orders). */
export type AmountProvider = Exclude<ProviderName, "levelup">;

/** A refund of `amount` minor units of the provider's test order (`IDS`), in its currency. */
export function refundOf(refunds: Refunds, provider: AmountProvider, amount: number) {
  return refunds.refund({
    provider,
    orderId: IDS[provider],
    amount,
    currency: CURRENCIES[provider],
  } as RefundRequest);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One request refundkit handed to `fetch` (the innermost layer: every attempt, every token call). */
export interface Call extends CapturedRequest {
  /** Path relative to the provider's base URL, or the full pathname for other hosts. */
  path: string;
  provider: MockProvider | "opttyAuth" | undefined;
  at: number;
}

export interface Harness {
  readonly mode: Mode;
  readonly orders: MockOrders;
  readonly faults: MockFaults;
  /** The mock's refund webhooks (events emitted, registrations, faults); reset after each test. */
  readonly webhooks: MockWebhooks;
  readonly baseUrls: MockBaseUrls;
  readonly credentials: MockCredentials;
  /** Every request refundkit sent since the last test started. */
  readonly calls: Call[];
  /** The refund requests sent to `provider` (attempts included, token calls excluded). */
  refundCalls(provider: ProviderName): Call[];
  /** Moves the mock's clock (token expiry, Briqpay settlement); reset after each test. */
  advanceClock(ms: number): void;
  /** The config a user would write for the provider in this mode, with the mock's credentials. */
  config<P extends ProviderName>(provider: P): NonNullable<RefundsConfig[P]>;
  /** createRefunds with every provider (or `config`), recording fetch, short timeouts. */
  connect(config?: RefundsConfig, options?: RefundsOptions): Refunds;
  /** The fetch the harness records with (to pass when building your own options). */
  readonly fetch: typeof globalThis.fetch;
}

/** Registers beforeAll/afterEach/afterAll hooks in the calling describe block. */
export function useHarness(mode: Mode): Harness {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const calls: Call[] = [];
  let state:
    | {
        orders: MockOrders;
        faults: MockFaults;
        webhooks: MockWebhooks;
        baseUrls: MockBaseUrls;
        credentials: MockCredentials;
        close: () => Promise<void>;
      }
    | undefined;

  beforeAll(async () => {
    if (mode === "msw") {
      const mock = createMockHandlers({ clock });
      const server = setupServer(...mock.handlers);
      server.listen({ onUnhandledRequest: "error" });
      state = {
        ...mock,
        close: async () => {
          mock.faults.clear();
          server.close();
        },
      };
    } else {
      const server: MockServer = await startMockServer({ port: 0, clock });
      state = { ...server, close: () => server.close() };
    }
  });
  afterEach(() => {
    need().faults.clear();
    need().orders.reset();
    need().webhooks.reset();
    offset = 0;
    calls.length = 0;
  });
  afterAll(async () => {
    await state?.close();
  });

  function need() {
    if (state === undefined) throw new Error("harness used outside a test");
    return state;
  }

  function providerOf(url: string): Call["provider"] {
    const { baseUrls } = need();
    // Optty's token endpoint may share its API's prefix (the HTTP mock serves both on /optty).
    if (url === `${baseUrls.opttyAuth}/token`) return "opttyAuth";
    // Longest base URL first: Optty's auth host may share a prefix with its API host.
    const entries = Object.entries(baseUrls).sort((a, b) => b[1].length - a[1].length);
    for (const [name, base] of entries) {
      if (url === base || url.startsWith(`${base}/`)) return name as Call["provider"];
    }
    return undefined;
  }

  const keepAlive = createKeepAliveFetch();
  const recordingFetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const captured = await captureRequest(request);
    const provider = providerOf(request.url);
    const base = provider === undefined ? undefined : need().baseUrls[provider];
    calls.push({
      ...captured,
      path: base === undefined ? new URL(request.url).pathname : request.url.slice(base.length),
      provider,
      at: Date.now(),
    });
    // "msw": the global fetch (msw's); "http": core's node:http transport, the default on Node,
    // so every fault the mock server plays goes through it.
    return (mode === "http" ? keepAlive : globalThis.fetch)(request);
  };

  function config<P extends ProviderName>(provider: P): NonNullable<RefundsConfig[P]> {
    const { baseUrls, credentials } = need();
    const where =
      mode === "msw" ? { environment: "sandbox" as const } : { baseUrl: baseUrls[provider] };
    const extra =
      provider === "optty" && mode === "http" ? { authUrl: `${baseUrls.opttyAuth}/token` } : {};
    return { ...where, ...extra, ...credentials[provider] } as NonNullable<RefundsConfig[P]>;
  }

  return {
    mode,
    get orders() {
      return need().orders;
    },
    get faults() {
      return need().faults;
    },
    get webhooks() {
      return need().webhooks;
    },
    get baseUrls() {
      return need().baseUrls;
    },
    get credentials() {
      return need().credentials;
    },
    calls,
    refundCalls(provider) {
      const template = REFUND_PATHS[provider];
      const [before, after] = template.split("{id}") as [string, string];
      return calls.filter(
        (call) =>
          call.provider === provider &&
          call.method === "POST" &&
          call.path.startsWith(before) &&
          call.path.endsWith(after),
      );
    },
    advanceClock(ms) {
      offset += ms;
    },
    config,
    connect(given, options = {}) {
      const all: RefundsConfig = given ?? {
        sezzle: config("sezzle"),
        optty: config("optty"),
        levelup: config("levelup"),
        moyasar: config("moyasar"),
        briqpay: config("briqpay"),
      };
      return createRefunds(all, { fetch: recordingFetch, timeoutMs: 2_000, ...options });
    },
    fetch: recordingFetch,
  };
}

/** Awaits a rejection and returns it as a RefundError (fails the test otherwise). */
export async function refundError(promise: Promise<unknown>): Promise<RefundError> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) {
    throw new Error(`expected a RefundError, got a result: ${JSON.stringify(outcome.value)}`);
  }
  expect(outcome.error).toBeInstanceOf(RefundError);
  return outcome.error as RefundError;
}

/** The public fields of a RefundError, for one `toMatchObject`/`toEqual`. */
export function fields(error: RefundError) {
  return {
    code: error.code,
    provider: error.provider,
    status: error.status,
    retryable: error.retryable,
  };
}

export function expectError(
  error: RefundError,
  expected: {
    code: RefundErrorCode;
    provider: ProviderName;
    status: number | null;
    retryable: boolean;
  },
): void {
  expect(fields(error)).toEqual(expected);
  expect(error.name).toBe("RefundError");
  expect(error.message.length).toBeGreaterThan(0);
}
