/**
 * `refundkit status <provider> <orderId> [--json]`: what the provider says about an order's
 * refunds now (refunds.retrieve). Self-contained: its own argument parsing (node:util
 * parseArgs), credentials from the same REFUNDKIT_* variables as `refund`.
 */
import { parseArgs } from "node:util";
import {
  createRefunds,
  isRefundError,
  minorToMajor,
  PROVIDERS,
  type ProviderName,
  type RefundsConfig,
  type RetrievedOrder,
} from "refundkit";
import { configFromEnv } from "./refund.js";

export const statusUsage = `Usage: refundkit status <provider> <orderId> [--json]
  [--environment sandbox|production | --base-url URL] [--merchant-id ID]
  Prints the order's refunds as the provider reports them now.
  --merchant-id (or REFUNDKIT_LEVELUP_MERCHANT_ID): LevelUp's lookup is per merchant.`;

function isProvider(value: string | undefined): value is ProviderName {
  return value !== undefined && (PROVIDERS as readonly string[]).includes(value);
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

/** The human-readable table of an order's refunds. */
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

/** Runs `status`; resolves with the exit code (0 found, 1 provider refused, 2 usage). */
export async function runStatus(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        environment: { type: "string" },
        "base-url": { type: "string" },
        "merchant-id": { type: "string" },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${statusUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [provider, orderId, ...extra] = positionals;
  if (!isProvider(provider) || orderId === undefined || extra.length > 0) {
    console.error(statusUsage);
    return 2;
  }
  const environment = values.environment;
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    console.error("--environment must be sandbox or production");
    return 2;
  }
  const config: RefundsConfig = configFromEnv(provider, env, {
    ...(environment === undefined ? {} : { environment }),
    ...(values["base-url"] === undefined ? {} : { baseUrl: values["base-url"] }),
  });
  const merchantId = values["merchant-id"] ?? env.REFUNDKIT_LEVELUP_MERCHANT_ID;
  if (provider === "levelup" && config.levelup !== undefined && merchantId !== undefined) {
    config.levelup = { ...config.levelup, merchantId };
  }
  try {
    const order = await createRefunds(config).retrieve({ provider, orderId });
    console.log(values.json ? JSON.stringify(order, null, 2) : formatStatus(order));
    return 0;
  } catch (error) {
    if (isRefundError(error)) {
      console.error(values.json ? JSON.stringify(error, null, 2) : error.message);
      return 1;
    }
    throw error;
  }
}
