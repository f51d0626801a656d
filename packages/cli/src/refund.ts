import { minorToMajor } from "@refundkit/core";
import {
  createRefunds,
  type Environment,
  PROVIDERS,
  type ProviderName,
  type RefundRequest,
  type RefundResult,
} from "refundkit";
import { parseTypedAmount } from "./internal/amount.js";
import { configFromEnv, refundsFromConfig, withDotEnv } from "./internal/env.js";
import { EXIT, formatTable, reportFailure, UsageError } from "./internal/output.js";

/** Kept here too for the commands that read credentials the way `refund` does. */
export { configFromEnv } from "./internal/env.js";

export function isProvider(value: string | undefined): value is ProviderName {
  return value !== undefined && (PROVIDERS as readonly string[]).includes(value);
}

/** `refundkit refund` options as commander parses them (all strings, as typed). */
export interface RefundOptions {
  provider?: string;
  order?: string;
  amount?: string;
  currency?: string;
  environment?: string;
  baseUrl?: string;
  idempotencyKey?: string;
  reason?: string;
  managerConfirmation?: string;
  transactionId?: string;
  captureId?: string;
  timeoutMs?: string;
  maxRetries?: string;
  json?: boolean;
}

/** A whole number from a flag, or a UsageError naming the flag. */
export function integerOption(
  value: string | undefined,
  flag: string,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}; got "${value}"`);
  }
  return Number(value);
}

function environmentOption(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  if (value !== "sandbox" && value !== "production") {
    throw new UsageError(`--environment must be sandbox or production; got "${value}"`);
  }
  return value;
}

/** Builds the refund request from the flags; throws UsageError before anything is sent. */
function requestFrom(options: RefundOptions): RefundRequest {
  const provider = options.provider;
  if (!isProvider(provider)) {
    throw new UsageError(
      `--provider must be one of ${PROVIDERS.join(", ")}${provider === undefined ? "" : `; got "${provider}"`}`,
    );
  }
  if (options.order === undefined || options.order === "") {
    throw new UsageError("--order is required: the provider's order (Briqpay: session) id");
  }
  let amount: number | undefined;
  if (options.amount !== undefined) {
    if (options.currency === undefined) {
      throw new UsageError("--amount needs --currency (the ISO 4217 code, e.g. USD)");
    }
    try {
      amount = parseTypedAmount(options.amount, options.currency);
    } catch (error) {
      throw new UsageError(`--amount: ${(error as Error).message}`);
    }
  }
  return {
    provider,
    orderId: options.order,
    ...(amount === undefined ? {} : { amount }),
    ...(options.currency === undefined ? {} : { currency: options.currency }),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.managerConfirmation === undefined
      ? {}
      : { managerConfirmation: options.managerConfirmation }),
    ...(options.transactionId === undefined ? {} : { transactionId: options.transactionId }),
    ...(options.captureId === undefined ? {} : { captureId: options.captureId }),
  } as RefundRequest;
}

/**
 * A result for a person: what happened, how much (as typed and in minor units), the ids, and a
 * warning when the provider refunded in another currency than `askedCurrency` (MPG takes no
 * currency: it refunds the order's own, https://mpg-acquirer-docs.moyasar.com/api/orders/orders-api).
 */
export function describeResult(result: RefundResult, askedCurrency?: string): string {
  const money =
    result.amount === null
      ? "amount not reported"
      : result.currency === null
        ? `${result.amount} (minor units)`
        : `${minorToMajor(result.amount, result.currency)} ${result.currency} (${result.amount} minor units)`;
  return [
    `${result.status === "succeeded" ? "Refunded" : "Refund pending"}: ${money}, ${result.provider} order ${result.orderId}`,
    `  refund id        ${result.refundId ?? "-"}`,
    `  idempotency key  ${result.idempotencyKey ?? "- (the provider has no idempotency handle)"}`,
    ...(result.status === "pending"
      ? ["  the provider settles it later: check with the provider before refunding again"]
      : []),
    ...(askedCurrency !== undefined && result.currency !== null && result.currency !== askedCurrency
      ? [
          `  warning: refunded in ${result.currency}, not ${askedCurrency} as asked: the amount was taken in the order's currency`,
        ]
      : []),
  ].join("\n");
}

/** `refundkit refund`: one refund; exit 0 refunded or pending, 1 refused, 2 bad input. */
export async function runRefund(options: RefundOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const json = options.json === true;
  try {
    const request = requestFrom(options);
    const environment = environmentOption(options.environment);
    const timeoutMs = integerOption(options.timeoutMs, "--timeout-ms", 1);
    const maxRetries = integerOption(options.maxRetries, "--max-retries", 0);
    const refunds = refundsFromConfig(
      configFromEnv(request.provider, withDotEnv(env), {
        ...(environment === undefined ? {} : { environment }),
        ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      }),
      {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(maxRetries === undefined ? {} : { maxRetries }),
      },
    );
    const result = await refunds.refund(request);
    process.stdout.write(
      `${json ? JSON.stringify(result) : describeResult(result, request.currency)}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, json);
  }
}

/** `refundkit capabilities [provider]`: a table (or JSON) of what each provider supports. */
export function runCapabilities(provider: string | undefined, options: { json?: boolean }): number {
  const refunds = createRefunds({});
  try {
    if (provider !== undefined && !isProvider(provider)) {
      throw new UsageError(`unknown provider "${provider}": one of ${PROVIDERS.join(", ")}`);
    }
    const providers = provider === undefined ? PROVIDERS : [provider];
    const rows = providers.map((p) => ({ provider: p, ...refunds.capabilities(p) }));
    if (options.json === true) {
      process.stdout.write(
        `${JSON.stringify(Object.fromEntries(rows.map(({ provider: p, ...c }) => [p, c])))}\n`,
      );
      return EXIT.ok;
    }
    const columns = Object.keys(rows[0] ?? {}).filter((key) => key !== "provider");
    process.stdout.write(
      formatTable(
        ["provider", ...columns],
        rows.map((row) => [
          row.provider,
          ...columns.map((column) => {
            const value = (row as Record<string, unknown>)[column];
            return value === true ? "yes" : value === false ? "no" : String(value);
          }),
        ]),
      ),
    );
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, options.json === true);
  }
}
