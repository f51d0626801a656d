import {
  type BriqpayConfig,
  type BriqpayRefundRequest,
  briqpayAdapterWith,
  createBriqpayCaller,
} from "@refundkit/briqpay";
import {
  type BaseRefundRequest,
  type Capabilities,
  isRecord,
  type LifecycleCapabilities,
  PROVIDERS,
  type ProviderAdapter,
  type ProviderName,
  type RefundAdapter,
  type RefundResult,
  refusal,
  rejectSoon,
  SHARED_TOKEN_CACHES,
  type SharedTokenCaches,
  startRefund,
  type TransportOptions,
} from "@refundkit/core/internal";
import {
  createLevelUpCaller,
  type LevelUpConfig,
  type LevelUpRefundRequest,
  levelupAdapterWith,
} from "@refundkit/levelup";
import {
  createMoyasarCaller,
  type MoyasarConfig,
  type MoyasarRefundRequest,
  moyasarAdapterWith,
} from "@refundkit/moyasar";
import {
  createOpttyCaller,
  type OpttyConfig,
  type OpttyRefundRequest,
  opttyAdapterWith,
} from "@refundkit/optty";
import {
  createSezzleCaller,
  type SezzleConfig,
  type SezzleRefundRequest,
  sezzleAdapterWith,
} from "@refundkit/sezzle";
import { badCall, isProviderName, unknownProvider } from "./bad-call.js";
import { createLifecycle, type Lifecycle, lifecycleCapabilities } from "./lifecycle.js";

/** Each provider is optional: configure only the ones you use. */
export interface RefundsConfig {
  sezzle?: SezzleConfig;
  optty?: OpttyConfig;
  levelup?: LevelUpConfig;
  moyasar?: MoyasarConfig;
  briqpay?: BriqpayConfig;
}

/** Options every configured provider shares. */
export type RefundsOptions = TransportOptions;

/** The unified refund request: the shared fields plus each provider's own, typed per provider. */
export type RefundRequest =
  | ({ provider: "sezzle" } & SezzleRefundRequest)
  | ({ provider: "optty" } & OpttyRefundRequest)
  | ({ provider: "levelup" } & LevelUpRefundRequest)
  | ({ provider: "moyasar" } & MoyasarRefundRequest)
  | ({ provider: "briqpay" } & BriqpayRefundRequest);

/**
 * What `createRefunds()` returns: one `refund()` over every configured provider, and the
 * lifecycle methods (`retrieve`, `waitUntilFinal`, `reconcile`, `webhooks.verify`).
 */
export interface Refunds extends Omit<Lifecycle, "noteAttempt"> {
  /** Refunds through the request's provider. Resolves with the result; rejects with RefundError. */
  refund<R extends RefundRequest>(request: R): Promise<RefundResult<R["provider"]>>;
  /** What a provider supports (whether or not it is configured), lifecycle included. */
  capabilities(provider: ProviderName): Capabilities & LifecycleCapabilities;
  /** The providers this instance was configured with. */
  readonly providers: readonly ProviderName[];
}

type AnyAdapter = ProviderAdapter<ProviderName, unknown, BaseRefundRequest>;
type AnyConnected = RefundAdapter<ProviderName, BaseRefundRequest>;

/**
 * Each provider's adapter (the same as `sezzleAdapter`, ...) over its caller: the client's GET and
 * POST sent through core's JSON sender (`createSezzleCaller`, ...). The facade never hands a
 * client out, so its bundle carries no openapi-fetch (issue 8's bundle size); the requests sent
 * and the answers read are the same (core's json-client.test.ts).
 */
const adapters: Record<ProviderName, AnyAdapter> = {
  sezzle: /* @__PURE__ */ sezzleAdapterWith(createSezzleCaller) as AnyAdapter,
  optty: /* @__PURE__ */ opttyAdapterWith(createOpttyCaller) as AnyAdapter,
  levelup: /* @__PURE__ */ levelupAdapterWith(createLevelUpCaller) as AnyAdapter,
  moyasar: /* @__PURE__ */ moyasarAdapterWith(createMoyasarCaller) as AnyAdapter,
  briqpay: /* @__PURE__ */ briqpayAdapterWith(createBriqpayCaller) as AnyAdapter,
};

/**
 * One refund() over every configured provider. The config is checked here, once: a missing
 * environment/baseUrl or credential is a RefundError naming the field, never echoing a secret.
 */
export function createRefunds(config: RefundsConfig, options: RefundsOptions = {}): Refunds {
  if (!isRecord(config)) {
    throw badCall(
      undefined,
      "createRefunds(config): config must be an object of provider settings",
    );
  }
  for (const key of Object.keys(config)) {
    if (!isProviderName(key)) {
      throw unknownProvider(key, "createRefunds(config)");
    }
  }
  // One token cache per provider for this instance: its refunds and its lookups build a client
  // each, and share the token (Sezzle's and Optty's token calls happen once, not once a client).
  const shared: RefundsOptions & SharedTokenCaches = {
    ...options,
    [SHARED_TOKEN_CACHES]: new Map(),
  };
  const connected = new Map<ProviderName, AnyConnected>();
  for (const provider of PROVIDERS) {
    const providerConfig = config[provider];
    if (providerConfig === undefined) continue;
    connected.set(provider, adapters[provider].connect(providerConfig, shared));
  }
  // retrieve, waitUntilFinal, reconcile and webhooks; noteAttempt stays the facade's own.
  const { noteAttempt, ...lifecycle } = createLifecycle(config, shared);

  return {
    ...lifecycle,
    providers: [...connected.keys()],
    capabilities(provider) {
      if (!isProviderName(provider)) {
        throw unknownProvider(provider, "capabilities()");
      }
      return { ...adapters[provider].capabilities, ...lifecycleCapabilities(provider) };
    },
    // Not an async function: a refused input is settled with one promise, rejected once the
    // caller is listening, and no further layers (issue 8: a refusal costs under 2 us).
    refund(request) {
      if (!isRecord(request)) {
        return rejectSoon(badCall(undefined, "refund(request): request must be an object"));
      }
      const { provider, ...rest } = request;
      if (!isProviderName(provider)) {
        return rejectSoon(unknownProvider(provider, "refund(request)"));
      }
      const adapter = connected.get(provider);
      if (adapter === undefined) {
        return rejectSoon(
          refusal(
            provider,
            "invalid_request",
            `refund(request): ${provider} is not configured: pass config.${provider} to createRefunds()`,
          ),
        );
      }
      const startedAt = Date.now();
      let pending: Promise<RefundResult<ProviderName>>;
      try {
        pending = startRefund(adapter, rest);
      } catch (error) {
        // Refused before anything was sent (a bad input): noted and rejected, no other layer.
        noteAttempt(error, startedAt);
        return rejectSoon(error);
      }
      // reconcile() uses the attempt's start to tell this refund from earlier ones.
      return pending.then(undefined, (error: unknown) => {
        noteAttempt(error, startedAt);
        throw error;
      }) as Promise<RefundResult<typeof provider>>;
    },
  };
}
