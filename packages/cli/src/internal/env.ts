import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import {
  createRefunds,
  type Environment,
  isRefundError,
  type ProviderName,
  type Refunds,
  type RefundsConfig,
  type RefundsOptions,
} from "refundkit";
import { UsageError } from "./output.js";

/**
 * The variables of a `.env` file in `cwd` (Node's own parser, `util.parseEnv`), under the ones
 * already set: a variable of the real environment always wins. No file: `env` unchanged.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): NodeJS.ProcessEnv {
  const file = `${cwd}/.env`;
  if (!existsSync(file)) return env;
  const parsed = parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
  return { ...parsed, ...env };
}

/** Where a provider is: `--environment`/`REFUNDKIT_ENVIRONMENT`, or its base URL. */
export interface Target {
  environment?: Environment;
  baseUrl?: string;
}

/**
 * One provider's settings from the REFUNDKIT_<PROVIDER>_* variables (and REFUNDKIT_ENVIRONMENT,
 * REFUNDKIT_<PROVIDER>_BASE_URL), with `target` taking precedence: a `target.environment` (the
 * `--environment` flag) also sets aside REFUNDKIT_<PROVIDER>_BASE_URL. Values are passed to the
 * facade, never printed: the facade's config errors name the field, not the value.
 */
export function configFromEnv(
  provider: ProviderName,
  env: NodeJS.ProcessEnv,
  target: Target = {},
): RefundsConfig {
  const read = (name: string) => env[`REFUNDKIT_${provider.toUpperCase()}_${name}`] || undefined;
  const environment = target.environment ?? environmentFrom(env.REFUNDKIT_ENVIRONMENT);
  // A flag beats the environment as a whole: `--environment production` is not overridden by a
  // REFUNDKIT_<PROVIDER>_BASE_URL left in the environment or .env (the mock's `export` lines),
  // which the facade would otherwise prefer, sending a "production" refund to that URL.
  const baseUrl =
    target.baseUrl ?? (target.environment === undefined ? read("BASE_URL") : undefined);
  const where = {
    ...(environment === undefined ? {} : { environment }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
  };
  switch (provider) {
    case "sezzle":
      return {
        sezzle: {
          ...where,
          token: read("TOKEN"),
          publicKey: read("PUBLIC_KEY"),
          privateKey: read("PRIVATE_KEY"),
        },
      };
    case "optty":
      return {
        optty: {
          ...where,
          authUrl: read("AUTH_URL"),
          token: read("TOKEN"),
          clientId: read("CLIENT_ID"),
          clientSecret: read("CLIENT_SECRET"),
        },
      };
    case "levelup": {
      // LevelUp's order lookup (refunds.retrieve / reconcile) is per merchant.
      const merchantId = read("MERCHANT_ID");
      return {
        levelup: {
          ...where,
          token: read("TOKEN") ?? "",
          ...(merchantId === undefined ? {} : { merchantId }),
        },
      };
    }
    case "moyasar":
      return { moyasar: { ...where, apiKey: read("API_KEY") ?? "" } };
    case "briqpay":
      return {
        briqpay: { ...where, username: read("USERNAME") ?? "", secret: read("SECRET") ?? "" },
      };
  }
}

function environmentFrom(value: string | undefined): Environment | undefined {
  return value === "sandbox" || value === "production" ? value : undefined;
}

/** The variables a provider reads, for messages ("set REFUNDKIT_LEVELUP_TOKEN"). */
export const CREDENTIAL_VARIABLES: Record<ProviderName, string> = {
  sezzle: "REFUNDKIT_SEZZLE_TOKEN or REFUNDKIT_SEZZLE_PUBLIC_KEY + REFUNDKIT_SEZZLE_PRIVATE_KEY",
  optty: "REFUNDKIT_OPTTY_TOKEN or REFUNDKIT_OPTTY_CLIENT_ID + REFUNDKIT_OPTTY_CLIENT_SECRET",
  levelup: "REFUNDKIT_LEVELUP_TOKEN (+ REFUNDKIT_LEVELUP_MERCHANT_ID for order lookups)",
  moyasar: "REFUNDKIT_MOYASAR_API_KEY",
  briqpay: "REFUNDKIT_BRIQPAY_USERNAME + REFUNDKIT_BRIQPAY_SECRET",
};

/**
 * createRefunds for the CLI: a config the facade refuses (a missing credential, environment or
 * base URL) becomes a UsageError naming the variables to set, never their values.
 */
export function refundsFromConfig(config: RefundsConfig, options: RefundsOptions): Refunds {
  try {
    return createRefunds(config, options);
  } catch (error) {
    if (!isRefundError(error)) throw error;
    const provider = error.provider;
    const message = error.message.replace(new RegExp(`^${provider}: `), "").replace(/\.$/, "");
    throw new UsageError(
      `${provider}: ${message}. Set ${CREDENTIAL_VARIABLES[provider] ?? "its credentials"}, and REFUNDKIT_ENVIRONMENT=sandbox|production or REFUNDKIT_${provider.toUpperCase()}_BASE_URL (in the environment or a .env file)`,
    );
  }
}
