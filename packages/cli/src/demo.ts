import { startMockServer } from "@refundkit/mock";
import {
  createRefunds,
  isRefundError,
  type RefundRequest,
  type RefundResult,
  type Refunds,
} from "refundkit";

/** The LevelUp merchant id the demo and `refundkit mock`'s `export` lines use (orders seeded
 * without a merchant answer any id). */
export const MOCK_LEVELUP_MERCHANT_ID = 3225;

type MockServer = Awaited<ReturnType<typeof startMockServer>>;

const SEZZLE_ORDER = "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const OPTTY_ORDER = "TgEHcPtpN2HSrTMK-0";
const LEVELUP_ORDER = "1esfba10ac51013149f162d2f425c456";
const MOYASAR_ORDER = "0191f5a7-44d3-7430-8739-2d80821416bf";
const BRIQPAY_SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";

function money(amount: number | null, currency: string | null): string {
  if (amount === null) return "-";
  return `${amount} ${currency ?? ""} (minor units)`.trim();
}

async function step(
  refunds: Refunds,
  title: string,
  request: RefundRequest,
): Promise<RefundResult | undefined> {
  process.stdout.write(`  ${title}\n`);
  try {
    const result = await refunds.refund(request);
    console.log(
      `    -> ${result.status}: refundId=${result.refundId ?? "-"} amount=${money(result.amount, result.currency)} idempotencyKey=${result.idempotencyKey ?? "-"}`,
    );
    return result;
  } catch (error) {
    if (!isRefundError(error)) throw error;
    console.log(
      `    -> RefundError ${error.code} (HTTP ${error.status ?? "none"}, retryable: ${error.retryable}): ${error.message}`,
    );
    return undefined;
  }
}

/** The orders the demo refunds (also what `refundkit mock --seed demo` serves). */
export function seedDemoOrders(orders: MockServer["orders"]): void {
  orders.seed({ provider: "sezzle", id: SEZZLE_ORDER, amount: 10_000, currency: "USD" });
  orders.seed({ provider: "optty", id: OPTTY_ORDER, amount: 2_498, currency: "AUD" });
  orders.seed({ provider: "levelup", id: LEVELUP_ORDER, amount: 1_500, currency: "USD" });
  orders.seed({ provider: "moyasar", id: MOYASAR_ORDER, amount: 262_346, currency: "SAR" });
  orders.seed({
    provider: "briqpay",
    id: BRIQPAY_SESSION,
    amount: 3_000,
    currency: "SEK",
    settleAs: "approved",
  });
}

function connect(server: MockServer): Refunds {
  const { baseUrls, credentials } = server;
  return createRefunds(
    {
      sezzle: { baseUrl: baseUrls.sezzle, ...credentials.sezzle },
      optty: { baseUrl: baseUrls.optty, ...credentials.optty },
      // merchantId: LevelUp's order lookup (retrieve, reconcile) is per merchant.
      levelup: {
        baseUrl: baseUrls.levelup,
        ...credentials.levelup,
        merchantId: MOCK_LEVELUP_MERCHANT_ID,
      },
      moyasar: { baseUrl: baseUrls.moyasar, ...credentials.moyasar },
      briqpay: { baseUrl: baseUrls.briqpay, ...credentials.briqpay },
    },
    { timeoutMs: 2_000, maxRetries: 2 },
  );
}

/** Every provider's refund story through one refund(), against the mock providers over HTTP. */
export async function runDemo(): Promise<number> {
  const server = await startMockServer({ port: 0 });
  try {
    console.log(`refundkit demo: mock providers on ${server.url} (real HTTP, spec-validated)\n`);
    const refunds = connect(server);
    const { orders, faults } = server;

    seedDemoOrders(orders);
    // Briqpay answers `pending` and settles later: here 800 ms after the refund (re-seeded so
    // `refundkit mock --seed demo` keeps settling on demand).
    orders.seed({
      provider: "briqpay",
      id: BRIQPAY_SESSION,
      amount: 3_000,
      currency: "SEK",
      settleAs: "approved",
      settleAfterMs: 800,
    });

    console.log("Sezzle (idempotent by Sezzle-Request-Id header)");
    await step(refunds, "refund 25.00 USD", {
      provider: "sezzle",
      orderId: SEZZLE_ORDER,
      amount: 2_500,
      currency: "USD",
      idempotencyKey: "demo-sezzle-1",
    });
    faults.inject({ provider: "sezzle", kind: "http_500", count: 1 });
    await step(
      refunds,
      "refund 10.00 USD while the provider fails once with a 500 (retried, same key)",
      {
        provider: "sezzle",
        orderId: SEZZLE_ORDER,
        amount: 1_000,
        currency: "USD",
        idempotencyKey: "demo-sezzle-2",
      },
    );
    await step(refunds, "refund 100.00 USD more than is left", {
      provider: "sezzle",
      orderId: SEZZLE_ORDER,
      amount: 10_000,
      currency: "USD",
    });

    console.log("\nOptty (decimal major units on the wire, idempotent by refundReference)");
    await step(refunds, "refund 10.00 AUD", {
      provider: "optty",
      orderId: OPTTY_ORDER,
      amount: 1_000,
      currency: "AUD",
      idempotencyKey: "demo-optty-1",
    });
    await step(
      refunds,
      "the same refund again, same idempotency key (replayed, not refunded twice)",
      {
        provider: "optty",
        orderId: OPTTY_ORDER,
        amount: 1_000,
        currency: "AUD",
        idempotencyKey: "demo-optty-1",
      },
    );
    await step(refunds, "refund 20.00 AUD: over the refundable amount", {
      provider: "optty",
      orderId: OPTTY_ORDER,
      amount: 2_000,
      currency: "AUD",
    });

    console.log("\nLevelUp (full refunds only, no idempotency handle)");
    await step(refunds, "full refund", { provider: "levelup", orderId: LEVELUP_ORDER });
    await step(refunds, "full refund again", { provider: "levelup", orderId: LEVELUP_ORDER });
    await step(refunds, "a partial amount", {
      provider: "levelup",
      orderId: LEVELUP_ORDER,
      amount: 500,
      currency: "USD",
    });

    console.log("\nMoyasar Payment Gateway (transaction_id as the idempotency handle)");
    faults.inject({ provider: "moyasar", kind: "rate_limit", count: 1 });
    await step(refunds, "refund 100.00 SAR after a 429 with Retry-After", {
      provider: "moyasar",
      orderId: MOYASAR_ORDER,
      amount: 10_000,
      currency: "SAR",
    });
    await step(refunds, "refund to an order that does not exist", {
      provider: "moyasar",
      orderId: "0191f5a7-0000-7000-8000-000000000000",
      amount: 100,
      currency: "SAR",
    });

    console.log("\nBriqpay (cart lines, refunds settle later)");
    const pending = await step(refunds, "refund 10.00 SEK as an adjustment line", {
      provider: "briqpay",
      orderId: BRIQPAY_SESSION,
      amount: 1_000,
      currency: "SEK",
      reason: "Returned item",
    });
    if (pending !== undefined) {
      const started = Date.now();
      const final = await refunds.waitUntilFinal(pending, { intervalMs: 200, timeoutMs: 10_000 });
      console.log(
        `    -> waitUntilFinal: ${final.status} ${money(final.amount, final.currency)} after ${Date.now() - started} ms of polling GET /v3/session/{id}`,
      );
      // Briqpay's refund_status hooks are unauthenticated: verify() reads the session back and
      // trusts only what the session says; the last hook is the settlement.
      const hook = server.webhooks
        .events()
        .filter((event) => event.provider === "briqpay")
        .at(-1);
      if (hook !== undefined) {
        const event = await refunds.webhooks.verify("briqpay", hook);
        console.log(
          `    -> refund_status hook "${JSON.parse(hook.body).status}": verified by reading the session back -> ${event.status} ${money(event.amount, event.currency)}`,
        );
      }
    }
    await step(refunds, "bad input: an order id that would change the request path", {
      provider: "briqpay",
      orderId: "../../admin",
      amount: 1_000,
      currency: "SEK",
    });

    await lifecycleStories(server, refunds);

    console.log("\nThe mock's ledger afterwards:");
    for (const order of orders.list()) {
      const refunded = order.refunds.map((r) => `${r.amount} ${r.status}`);
      console.log(
        `  ${order.provider.padEnd(8)} ${order.id}  captured ${order.amount} ${order.currency}  refunds [${refunded.join(", ")}]`,
      );
    }
    return 0;
  } finally {
    await server.close();
  }
}

/** A LevelUp timeout reconciled, and Sezzle webhooks verified (and a forged one refused). */
async function lifecycleStories(server: MockServer, refunds: Refunds): Promise<void> {
  const { orders, baseUrls, credentials } = server;
  console.log("\nLevelUp: a refund that times out, then reconcile() reads the order back");
  const order = "2esfba10ac51013149f162d2f425c457";
  // LevelUp takes 1.5 s; this client gives up after 1 s (LevelUp has no idempotency handle, so
  // the refund is never re-sent: reconcile asks LevelUp what happened instead).
  orders.seed({ provider: "levelup", id: order, amount: 2_200, processingMs: 1_500 });
  const impatient = createRefunds(
    {
      levelup: {
        baseUrl: baseUrls.levelup,
        ...credentials.levelup,
        merchantId: MOCK_LEVELUP_MERCHANT_ID,
      },
    },
    { timeoutMs: 1_000 },
  );
  const request = { provider: "levelup" as const, orderId: order };
  try {
    await impatient.refund(request);
    console.log("    -> answered in time (unexpected in this story)");
  } catch (error) {
    if (!isRefundError(error)) throw error;
    console.log(`    -> RefundError ${error.code}: did the money move?`);
    // LevelUp finishes 1.5 s after the request; read it back once it has had the time.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const answer = await impatient.reconcile(request, error);
    console.log(
      answer.refunded === true
        ? `    -> reconcile: refunded ${money(answer.refund.amount, answer.refund.currency)} at ${answer.refund.createdAt}`
        : `    -> reconcile: ${JSON.stringify(answer)}`,
    );
  }

  console.log("\nSezzle webhooks: order.refunded signed with the merchant private key");
  const status = await refunds.retrieve({ provider: "sezzle", orderId: SEZZLE_ORDER });
  console.log(
    `    retrieve: ${status.refunds.length} refunds, ${money(status.refundedAmount, status.currency)} refunded`,
  );
  const [delivery] = server.webhooks.events().filter((event) => event.provider === "sezzle");
  if (delivery === undefined) return;
  const event = await refunds.webhooks.verify("sezzle", {
    headers: delivery.headers,
    body: delivery.body,
  });
  console.log(`    -> verified: ${event.type} for order ${event.orderId} (event ${event.eventId})`);
  const forged = delivery.body.replace(`"source":"gateway"`, `"source":"dashboard"`);
  for (const [what, input] of [
    ["the same delivery replayed", { headers: delivery.headers, body: delivery.body }],
    ["a forged body under the genuine signature", { headers: delivery.headers, body: forged }],
  ] as const) {
    try {
      await refunds.webhooks.verify("sezzle", input);
      console.log(`    -> ${what}: accepted (unexpected)`);
    } catch (error) {
      if (!isRefundError(error)) throw error;
      console.log(`    -> ${what}: RefundError ${error.code}: ${error.message}`);
    }
  }
}
