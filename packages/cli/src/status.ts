/**
 * `refundkit status <provider> <orderId> [--json]`: what the provider says about an order's
 * refunds now (`refunds.retrieve`). Self-contained: program.ts only declares the command.
 */
import { minorToMajor, PROVIDERS, type RetrievedOrder } from "refundkit";
import { configFromEnv, refundsFromConfig, withDotEnv } from "./internal/env.js";
import { EXIT, reportFailure, UsageError } from "./internal/output.js";
import { isProvider } from "./refund.js";

/** `refundkit status` options as commander parses them (all strings, as typed). */
export interface StatusOptions {
  json?: boolean;
  environment?: string;
  baseUrl?: string;
  /** LevelUp: the merchant id its lookup needs (or REFUNDKIT_LEVELUP_MERCHANT_ID). */
  merchantId?: string;
}

/** `1250` USD -> `12.50 USD`; minor units as they are when the currency is unknown. */
function money(amount: number | null, currency: string | null): string {
  if (amount === null) return "(amount not reported)";
  if (currency === null) return `${amount} (minor units)`;
  try {
    return `${minorToMajor(amount, currency)} ${currency}`;
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

/** The human-readable lines of an order's refunds. */
export function formatStatus(order: RetrievedOrder): string {
  const lines = [
    `${order.provider} order ${order.orderId}: ${order.refunds.length} refund(s), ${money(
      order.refundedAmount,
      order.currency,
    )} refunded (succeeded refunds)`,
  ];
  for (const refund of order.refunds) {
    lines.push(
      `  ${refund.refundId ?? "(no refund id)"}  ${money(refund.amount, refund.currency)}  ${
        refund.status
      }  ${refund.createdAt ?? "(no time reported)"}`,
    );
  }
  return lines.join("\n");
}

/** Runs `status`; exit 0 read, 1 the provider refused, 2 bad usage (nothing sent). */
export async function runStatus(
  provider: string,
  orderId: string,
  options: StatusOptions,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const json = options.json === true;
  try {
    if (!isProvider(provider)) {
      throw new UsageError(`unknown provider "${provider}" (one of ${PROVIDERS.join(", ")})`);
    }
    const environment = options.environment;
    if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
      throw new UsageError(`--environment must be sandbox or production; got "${environment}"`);
    }
    const vars = withDotEnv(env);
    const config = configFromEnv(provider, vars, {
      ...(environment === undefined ? {} : { environment }),
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    });
    const merchantId = options.merchantId ?? vars.REFUNDKIT_LEVELUP_MERCHANT_ID;
    if (config.levelup !== undefined && merchantId !== undefined) {
      config.levelup = { ...config.levelup, merchantId };
    }
    const order = await refundsFromConfig(config, {}).retrieve({ provider, orderId });
    process.stdout.write(`${json ? JSON.stringify(order) : formatStatus(order)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, json);
  }
}
