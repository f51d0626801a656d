import type { RequestHandler } from "msw";
import type { MockContext } from "./context.js";
import {
  type MockCredentials,
  type MockCredentialsInput,
  resolveCredentials,
} from "./credentials.js";
import { createFaultController, type MockFaults } from "./faults.js";
import { createLedger, type Ledger, type MockOrders, type SeedOrder } from "./ledger.js";
import { lookupHandlers } from "./lookups.js";
import { createPreparedSpecValidator, type PreparedSpecValidator } from "./openapi/validator.js";
import { briqpayHandlers } from "./providers/briqpay.js";
import { levelupHandlers } from "./providers/levelup.js";
import { moyasarHandlers } from "./providers/moyasar.js";
import { opttyHandlers } from "./providers/optty.js";
import { sezzleHandlers } from "./providers/sezzle.js";
import { documents, routes } from "./specs.js";
import { createTokenStore } from "./tokens.js";
import { type Clock, MOCK_PROVIDERS, type MockBaseUrls, type MockProvider } from "./types.js";
import { createWebhookEmitter, type MockWebhooks } from "./webhooks.js";

/** Options of `createMockHandlers`: base URLs, accepted credentials, clock and token lifetimes. */
export interface MockOptions {
  /** Where each provider is mocked. Default: each spec's sandbox server (Optty's token host too). */
  baseUrls?: Partial<MockBaseUrls>;
  /** Accepted credentials; default `mockCredentials`. */
  credentials?: MockCredentialsInput;
  /** The mock's time, ms since the epoch (token expiry, refund timestamps, settling). */
  clock?: Clock;
  /** Token lifetime: one number for both, or per provider. Default Sezzle 7200, Optty 86400. */
  tokenTtlSeconds?: number | { sezzle?: number; optty?: number };
}

/** The mocked providers: msw handlers and the ledger, faults, base URLs and credentials behind them. */
export interface MockProviders {
  /** msw request handlers for `setupServer(...handlers)` / `server.use(...handlers)`. */
  handlers: RequestHandler[];
  orders: MockOrders;
  faults: MockFaults;
  baseUrls: MockBaseUrls;
  credentials: MockCredentials;
  /** Refund webhooks (Sezzle, Briqpay): the events emitted, URLs to POST them to, faults. */
  webhooks: MockWebhooks;
}

/** The sandbox base URLs from the specs' `servers` (Optty's token endpoint has its own). */
export const defaultBaseUrls: MockBaseUrls = Object.freeze({
  sezzle: routes.sezzle.refund.servers.sandbox,
  optty: routes.optty.refund.servers.sandbox,
  opttyAuth: routes.optty.token.servers.sandbox,
  levelup: routes.levelup.refund.servers.sandbox,
  moyasar: routes.moyasar.refund.servers.sandbox,
  briqpay: routes.briqpay.refund.servers.sandbox,
});

/** The refund operation of each provider and the name of its order-id path parameter. */
const REFUND_OPERATIONS: Record<MockProvider, { operationId: string; path: string }> = {
  sezzle: routes.sezzle.refund,
  optty: routes.optty.refund,
  levelup: routes.levelup.refund,
  moyasar: routes.moyasar.refund,
  briqpay: routes.briqpay.refund,
};

/** The ledger behind each `orders` handed out, for the HTTP server's admin API. */
const ledgers = new WeakMap<MockOrders, Ledger>();

/**
 * Internal (the HTTP server's admin API): seeds `order`, just parsed from a request body (so kept
 * as it is, not copied), into the ledger behind `orders`, without building the snapshot
 * `orders.seed` answers. Throws as `orders.seed` does.
 */
export function seedParsed(orders: MockOrders, order: SeedOrder): void {
  const ledger = ledgers.get(orders);
  if (ledger === undefined) throw new TypeError("not the orders of createMockProviders");
  ledger.add(order, { owned: true });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * Internal (the HTTP server, which serves many requests from one start): compiles the request
 * validators of every operation the mock answers (refunds, tokens, lookups) now rather than on
 * each one's first request. msw handlers, often made per test, keep compiling on first use.
 */
export function prepareValidators(providers: MockProviders): void {
  const validators = validatorSets.get(providers);
  if (validators === undefined) throw new TypeError("not the result of createMockProviders");
  for (const provider of MOCK_PROVIDERS) {
    for (const route of Object.values(routes[provider])) {
      validators[provider].prepare(route.operationId);
    }
  }
}

const validatorSets = new WeakMap<MockProviders, Record<MockProvider, PreparedSpecValidator>>();

/** Same as `createMockHandlers`. */
export function createMockProviders(options: MockOptions = {}): MockProviders {
  const clock = options.clock ?? Date.now;
  const ttl = options.tokenTtlSeconds;
  const tokenTtlSeconds = {
    sezzle: typeof ttl === "number" ? ttl : (ttl?.sezzle ?? 7200),
    optty: typeof ttl === "number" ? ttl : (ttl?.optty ?? 86400),
  };
  const baseUrls: MockBaseUrls = { ...defaultBaseUrls };
  for (const [key, value] of Object.entries(options.baseUrls ?? {})) {
    if (typeof value === "string") baseUrls[key as keyof MockBaseUrls] = trimSlash(value);
  }
  const validators: Record<MockProvider, PreparedSpecValidator> = {
    sezzle: createPreparedSpecValidator(documents.sezzle),
    optty: createPreparedSpecValidator(documents.optty),
    levelup: createPreparedSpecValidator(documents.levelup),
    moyasar: createPreparedSpecValidator(documents.moyasar),
    briqpay: createPreparedSpecValidator(documents.briqpay),
  };
  const credentials = resolveCredentials(options.credentials);
  const webhooks = createWebhookEmitter({
    clock,
    credentials,
    tick: (order) => ledger.tick(order),
  });
  const ledger = createLedger({
    clock,
    onRefundChange: (order, refund, change) => webhooks.onRefundChange(order, refund, change),
    validateId(provider, id) {
      const { operationId, path } = REFUND_OPERATIONS[provider];
      const name = /\{([^}]+)\}/.exec(path)?.[1] ?? "id";
      const result = validators[provider].validateParameters(operationId, { path: { [name]: id } });
      if (!result.valid) {
        throw new TypeError(
          `invalid ${provider} order id ${JSON.stringify(id)}: ${result.errors.join("; ")}`,
        );
      }
      if (id.includes("/")) throw new TypeError(`invalid ${provider} order id: contains "/"`);
    },
  });
  const faults = createFaultController();
  const context: MockContext = {
    ledger,
    faults,
    credentials,
    clock,
    tokens: createTokenStore(clock),
    tokenTtlSeconds,
    validators,
  };
  const handlers: RequestHandler[] = [
    ...sezzleHandlers(context, baseUrls.sezzle),
    ...opttyHandlers(context, baseUrls.optty, baseUrls.opttyAuth),
    ...levelupHandlers(context, baseUrls.levelup),
    ...moyasarHandlers(context, baseUrls.moyasar),
    ...briqpayHandlers(context, baseUrls.briqpay),
    ...lookupHandlers(context, baseUrls),
  ];
  const orders: MockOrders = {
    seed: (order) => ledger.seed(order),
    get: (provider, id) => ledger.get(provider, id),
    list: () => ledger.list(),
    settle: (provider, orderId, refundId, outcome) =>
      ledger.settle(provider, orderId, refundId, outcome),
    reset: () => ledger.reset(),
  };
  ledgers.set(orders, ledger);
  const publicWebhooks: MockWebhooks = {
    events: () => webhooks.events(),
    deliveries: () => webhooks.deliveries(),
    register: (registration) => webhooks.register(registration),
    hooks: () => webhooks.hooks(),
    inject: (fault) => webhooks.inject(fault),
    flush: () => webhooks.flush(),
    reset: () => webhooks.reset(),
  };
  const publicFaults: MockFaults = {
    inject: (fault) => faults.inject(fault),
    clear: (provider) => faults.clear(provider),
    list: () => faults.list(),
  };
  const providers: MockProviders = {
    handlers,
    orders,
    faults: publicFaults,
    baseUrls,
    credentials,
    webhooks: publicWebhooks,
  };
  validatorSets.set(providers, validators);
  return providers;
}

/**
 * msw handlers for the five providers' refund (and token) endpoints, built from the specs, with
 * a shared ledger and fault queue. Use them in your own `setupServer`.
 */
export function createMockHandlers(options: MockOptions = {}): MockProviders {
  return createMockProviders(options);
}
