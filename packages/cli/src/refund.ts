import { parseArgs } from "node:util";
import {
  createRefunds,
  type Environment,
  isRefundError,
  PROVIDERS,
  type ProviderName,
  type RefundRequest,
  type RefundsConfig,
} from "refundkit";

function isProvider(value: string | undefined): value is ProviderName {
  return value !== undefined && (PROVIDERS as readonly string[]).includes(value);
}

/** Reads one provider's settings from REFUNDKIT_<PROVIDER>_* variables; secrets never printed. */
export function configFromEnv(
  provider: ProviderName,
  env: NodeJS.ProcessEnv,
  target: { environment?: Environment; baseUrl?: string },
): RefundsConfig {
  const read = (name: string) => env[`REFUNDKIT_${provider.toUpperCase()}_${name}`] || undefined;
  switch (provider) {
    case "sezzle":
      return {
        sezzle: {
          ...target,
          token: read("TOKEN"),
          publicKey: read("PUBLIC_KEY"),
          privateKey: read("PRIVATE_KEY"),
        },
      };
    case "optty":
      return {
        optty: {
          ...target,
          authUrl: read("AUTH_URL"),
          token: read("TOKEN"),
          clientId: read("CLIENT_ID"),
          clientSecret: read("CLIENT_SECRET"),
        },
      };
    case "levelup":
      return { levelup: { ...target, token: read("TOKEN") ?? "" } };
    case "moyasar":
      return { moyasar: { ...target, apiKey: read("API_KEY") ?? "" } };
    case "briqpay":
      return {
        briqpay: { ...target, username: read("USERNAME") ?? "", secret: read("SECRET") ?? "" },
      };
  }
}

export async function runRefund(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      provider: { type: "string" },
      order: { type: "string" },
      amount: { type: "string" },
      currency: { type: "string" },
      environment: { type: "string" },
      "base-url": { type: "string" },
      "idempotency-key": { type: "string" },
      reason: { type: "string" },
      "manager-confirmation": { type: "string" },
      "transaction-id": { type: "string" },
      "capture-id": { type: "string" },
      "timeout-ms": { type: "string" },
      "max-retries": { type: "string" },
    },
  });
  const provider = values.provider;
  if (!isProvider(provider)) {
    console.error(`--provider must be one of ${PROVIDERS.join(", ")}`);
    return 2;
  }
  if (values.order === undefined) {
    console.error("--order is required: the provider's order / session id");
    return 2;
  }
  const environment = values.environment;
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    console.error("--environment must be sandbox or production");
    return 2;
  }
  // Integer minor units only: "12.50" is refused rather than guessed at.
  if (values.amount !== undefined && !/^\d+$/.test(values.amount)) {
    console.error("--amount must be an integer number of minor units (cents), e.g. 1250");
    return 2;
  }
  try {
    const refunds = createRefunds(
      configFromEnv(provider, env, {
        ...(environment === undefined ? {} : { environment }),
        ...(values["base-url"] === undefined ? {} : { baseUrl: values["base-url"] }),
      }),
      {
        ...(values["timeout-ms"] === undefined ? {} : { timeoutMs: Number(values["timeout-ms"]) }),
        ...(values["max-retries"] === undefined
          ? {}
          : { maxRetries: Number(values["max-retries"]) }),
      },
    );
    const request = {
      provider,
      orderId: values.order,
      ...(values.amount === undefined ? {} : { amount: Number(values.amount) }),
      ...(values.currency === undefined ? {} : { currency: values.currency }),
      ...(values["idempotency-key"] === undefined
        ? {}
        : { idempotencyKey: values["idempotency-key"] }),
      ...(values.reason === undefined ? {} : { reason: values.reason }),
      ...(values["manager-confirmation"] === undefined
        ? {}
        : { managerConfirmation: values["manager-confirmation"] }),
      ...(values["transaction-id"] === undefined
        ? {}
        : { transactionId: values["transaction-id"] }),
      ...(values["capture-id"] === undefined ? {} : { captureId: values["capture-id"] }),
    } as RefundRequest;
    const result = await refunds.refund(request);
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    if (isRefundError(error)) {
      console.error(JSON.stringify(error, null, 2));
      return 1;
    }
    throw error;
  }
}

export async function runCapabilities(args: string[]): Promise<number> {
  const refunds = createRefunds({});
  const wanted = args[0];
  if (wanted !== undefined && !isProvider(wanted)) {
    console.error(`unknown provider "${wanted}"`);
    return 2;
  }
  const providers = wanted === undefined ? PROVIDERS : [wanted];
  console.table(Object.fromEntries(providers.map((p) => [p, refunds.capabilities(p)])));
  return 0;
}
