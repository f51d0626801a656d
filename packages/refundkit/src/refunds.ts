import { type BriqpayConfig, type BriqpayRefundRequest, briqpayAdapter } from "@refundkit/briqpay";
import {
  type BaseRefundRequest,
  type Capabilities,
  isRecord,
  PROVIDERS,
  type ProviderAdapter,
  type ProviderName,
  type RefundAdapter,
  type RefundError,
  type RefundResult,
  refundError,
  type TransportOptions,
} from "@refundkit/core/internal";
import { type LevelUpConfig, type LevelUpRefundRequest, levelupAdapter } from "@refundkit/levelup";
import { type MoyasarConfig, type MoyasarRefundRequest, moyasarAdapter } from "@refundkit/moyasar";
import { type OpttyConfig, type OpttyRefundRequest, opttyAdapter } from "@refundkit/optty";
import { type SezzleConfig, type SezzleRefundRequest, sezzleAdapter } from "@refundkit/sezzle";

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

export interface Refunds {
  /** Refunds through the request's provider. Resolves with the result; rejects with RefundError. */
  refund<R extends RefundRequest>(request: R): Promise<RefundResult<R["provider"]>>;
  /** What a provider supports (whether or not it is configured). */
  capabilities(provider: ProviderName): Capabilities;
  /** The providers this instance was configured with. */
  readonly providers: readonly ProviderName[];
}

type AnyAdapter = ProviderAdapter<ProviderName, unknown, BaseRefundRequest>;
type AnyConnected = RefundAdapter<ProviderName, BaseRefundRequest>;

const adapters: Record<ProviderName, AnyAdapter> = {
  sezzle: sezzleAdapter as AnyAdapter,
  optty: opttyAdapter as AnyAdapter,
  levelup: levelupAdapter as AnyAdapter,
  moyasar: moyasarAdapter as AnyAdapter,
  briqpay: briqpayAdapter as AnyAdapter,
};

function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && (PROVIDERS as readonly string[]).includes(value);
}

/**
 * A top-level call that names no configured provider. Facade errors take the one error path
 * (`refundError`, so the message reads "<provider>: <message>" like every other RefundError);
 * `provider` is the name the caller gave (cut to 40 characters), or `"unknown"` when there is none
 * to name (`refund(null)`, `createRefunds(null)`, a non-string `provider`).
 */
function badCall(given: unknown, message: string): RefundError {
  const provider = typeof given === "string" ? given.slice(0, 40) : "unknown";
  // The contract types `provider` as a known name; a bad call reports what it was given.
  return refundError(provider as ProviderName, "invalid_request", message);
}

function unknownProvider(value: unknown, where: string): RefundError {
  const name = typeof value === "string" ? value.slice(0, 40) : typeof value;
  return badCall(
    value,
    `${where}: unknown provider "${name}" (expected one of ${PROVIDERS.join(", ")})`,
  );
}

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
  const connected = new Map<ProviderName, AnyConnected>();
  for (const provider of PROVIDERS) {
    const providerConfig = config[provider];
    if (providerConfig === undefined) continue;
    connected.set(provider, adapters[provider].connect(providerConfig, options));
  }

  return {
    providers: [...connected.keys()],
    capabilities(provider) {
      if (!isProviderName(provider)) {
        throw unknownProvider(provider, "capabilities()");
      }
      return { ...adapters[provider].capabilities };
    },
    async refund(request) {
      if (!isRecord(request)) {
        throw badCall(undefined, "refund(request): request must be an object");
      }
      const { provider, ...rest } = request;
      if (!isProviderName(provider)) {
        throw unknownProvider(provider, "refund(request)");
      }
      const adapter = connected.get(provider);
      if (adapter === undefined) {
        throw refundError(
          provider,
          "invalid_request",
          `refund(request): ${provider} is not configured: pass config.${provider} to createRefunds()`,
        );
      }
      return adapter.refund(rest) as Promise<RefundResult<typeof provider>>;
    },
  };
}
