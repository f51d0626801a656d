/**
 * A randomized fault suite (issue 13): fast-check draws schedules of faults (500/503, 429 with
 * Retry-After, hangs, resets after the refund was committed, truncated and non-JSON 2xx bodies,
 * "in progress" answers, expired tokens, token-endpoint faults, a token clock jump) over many
 * concurrent refunds per provider against @refundkit/mock, then checks invariants on the mock's
 * ledger:
 *
 * - never two refunds for one call or one idempotency key;
 * - every call ends in a result or a typed RefundError, in bounded time;
 * - a result's amount equals what the ledger applied;
 * - a refusal other than timeout/network_error moved no money;
 * - retrying a retryable error with `idempotencyKey: error.idempotencyKey` never refunds twice;
 * - no credential in any error, result or log line.
 *
 * It prints how many schedules, calls and faults it tried, and the seed (FAULT_SEED=<n> replays
 * one; FAULT_RUNS=<n> changes the number of schedules).
 */
import { inspect } from "node:util";
import {
  createMockHandlers,
  type FaultKind,
  type MockOrder,
  type MockProvider,
  mockCredentials,
} from "@refundkit/mock";
import fc from "fast-check";
import { setupServer } from "msw/node";
import {
  createRefunds,
  isRefundError,
  type RefundError,
  type RefundRequest,
  type RefundResult,
} from "refundkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FAULT_RUNS ?? 30);
const CALLS_PER_PROVIDER = 4;
const TIMEOUT_MS = 150;
/**
 * Bound for one call: at most (maxRetries + 1) = 4 attempts of TIMEOUT_MS each, as many for the
 * token, one resend after a 401 and short backoffs: under 2 s; the rest is room for a loaded CI.
 */
const CALL_DEADLINE_MS = 10_000;

const PROVIDERS = ["sezzle", "optty", "levelup", "moyasar", "briqpay"] as const;
type Provider = (typeof PROVIDERS)[number];

const REFUND_FAULTS: readonly FaultKind[] = [
  "http_500",
  "http_503",
  "rate_limit",
  "hang",
  "reset_after_commit",
  "malformed_json",
  "invalid_body",
  "expired_token",
  "in_progress",
];
const TOKEN_FAULTS: readonly FaultKind[] = [
  "http_500",
  "http_503",
  "rate_limit",
  "hang",
  "reset_after_commit",
  "malformed_json",
  "expired_token",
];

/** Every credential value the clients hold, and what would reveal one. */
const SECRETS = [
  mockCredentials.sezzle.privateKey,
  mockCredentials.optty.clientSecret,
  mockCredentials.levelup.token,
  mockCredentials.moyasar.apiKey,
  mockCredentials.briqpay.secret,
  btoa(`${mockCredentials.briqpay.username}:${mockCredentials.briqpay.secret}`),
];
/** The mock's tokens are JWTs: their header always encodes to this prefix. */
const JWT_PREFIX = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

interface Fault {
  provider: Provider;
  kind: FaultKind;
  endpoint: "refund" | "token";
  count: number;
  retryAfterSeconds: number;
}

interface Schedule {
  faults: Fault[];
  maxRetries: number;
  /** Briqpay orders answered `rejected` at once (a 2xx that refunded nothing). */
  briqpayRejects: boolean[];
  /** Moves the mock's clock past every token's life before the retries. */
  tokenClockJump: boolean;
}

const faultArb: fc.Arbitrary<Fault> = fc
  .record({
    provider: fc.constantFrom(...PROVIDERS),
    kind: fc.constantFrom(...REFUND_FAULTS),
    token: fc.boolean(),
    count: fc.integer({ min: 1, max: 3 }),
    // 0 is retried at once; 1 is more than the suite's maxRetryAfterMs, so it is returned.
    retryAfterSeconds: fc.constantFrom(0, 0, 1),
  })
  .map(({ provider, kind, token, count, retryAfterSeconds }) => {
    const onToken =
      token && (provider === "sezzle" || provider === "optty") && TOKEN_FAULTS.includes(kind);
    return { provider, kind, endpoint: onToken ? "token" : "refund", count, retryAfterSeconds };
  });

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  faults: fc.array(faultArb, { minLength: 1, maxLength: 14 }),
  maxRetries: fc.integer({ min: 0, max: 3 }),
  briqpayRejects: fc.array(fc.boolean(), {
    minLength: CALLS_PER_PROVIDER,
    maxLength: CALLS_PER_PROVIDER,
  }),
  tokenClockJump: fc.boolean(),
});

/** Order ids each spec routes, one per call so that a call and its order are one to one. */
function orderId(provider: Provider, run: number, call: number): string {
  const n = (run * 100 + call).toString(16).padStart(12, "0");
  switch (provider) {
    case "sezzle":
    case "moyasar":
    case "briqpay":
      return `00000000-0000-4000-8000-${n}`;
    case "optty":
      return `Order-${run}-${call}`;
    case "levelup":
      return `${n}${"0".repeat(20)}`;
  }
}

const CURRENCY = { sezzle: "USD", optty: "AUD", levelup: "USD", moyasar: "SAR", briqpay: "SEK" };

function requestFor(provider: Provider, id: string, amount: number): RefundRequest {
  if (provider === "levelup") return { provider, orderId: id };
  return { provider, orderId: id, amount, currency: CURRENCY[provider] } as RefundRequest;
}

type Outcome =
  | { kind: "result"; result: RefundResult }
  | { kind: "error"; error: RefundError }
  | { kind: "other"; value: unknown };

async function settle(promise: Promise<RefundResult>): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: "other", value: `not settled after ${CALL_DEADLINE_MS} ms` }),
      CALL_DEADLINE_MS,
    );
  });
  const outcome = promise.then(
    (result): Outcome => ({ kind: "result", result }),
    (error: unknown): Outcome =>
      isRefundError(error) ? { kind: "error", error } : { kind: "other", value: error },
  );
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The refunds that hold money (approved or pending; a rejected one moved nothing). */
function live(order: MockOrder | undefined) {
  return (order?.refunds ?? []).filter((refund) => refund.status !== "rejected");
}

describe("randomized fault suite", () => {
  let offset = 0;
  const mock = createMockHandlers({ clock: () => Date.now() + offset });
  const server = setupServer(...mock.handlers);
  const logged: string[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("keeps every money invariant under random fault schedules", async () => {
    const figures = { schedules: 0, calls: 0, retries: 0, faults: 0, results: 0, errors: 0 };
    const codes = new Map<string, number>();
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg))).join(" "));
      });
    }
    const onWarning = (warning: Error) => logged.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);

    try {
      await fc.assert(
        fc.asyncProperty(scheduleArb, async (schedule) => {
          const run = figures.schedules++;
          mock.orders.reset();
          mock.faults.clear();
          offset = 0;
          const violations: string[] = [];
          const refunds = createRefunds(
            {
              sezzle: { environment: "sandbox", ...mockCredentials.sezzle },
              optty: { environment: "sandbox", ...mockCredentials.optty },
              levelup: { environment: "sandbox", ...mockCredentials.levelup },
              moyasar: { environment: "sandbox", ...mockCredentials.moyasar },
              briqpay: { environment: "sandbox", ...mockCredentials.briqpay },
            },
            {
              timeoutMs: TIMEOUT_MS,
              maxRetries: schedule.maxRetries,
              backoff: { baseMs: 4, maxMs: 16, maxRetryAfterMs: 500 },
            },
          );

          // One order a call; amounts differ so that a result can be matched to its refund.
          const calls: { provider: Provider; id: string; amount: number }[] = [];
          for (const provider of PROVIDERS) {
            for (let call = 0; call < CALLS_PER_PROVIDER; call++) {
              const id = orderId(provider, run, call);
              const amount = 1_000 + 100 * call;
              if (provider === "levelup") {
                mock.orders.seed({ provider, id, amount });
              } else if (provider === "briqpay") {
                mock.orders.seed({
                  provider,
                  id,
                  amount: 10_000,
                  currency: "SEK",
                  ...(schedule.briqpayRejects[call]
                    ? { settleAfterMs: 0, settleAs: "rejected" as const }
                    : {}),
                });
              } else {
                mock.orders.seed({ provider, id, amount: 10_000, currency: CURRENCY[provider] });
              }
              calls.push({ provider, id, amount });
            }
          }
          for (const fault of schedule.faults) {
            mock.faults.inject(fault);
            figures.faults += fault.count;
          }

          // Phase 1: every call at once.
          const first = await Promise.all(
            calls.map((call) =>
              settle(refunds.refund(requestFor(call.provider, call.id, call.amount))),
            ),
          );
          figures.calls += calls.length;

          // Phase 2: faults gone (and perhaps every token expired); a retryable error is retried
          // with its own idempotency key, as the README tells callers to (up to 3 times: on a
          // loaded machine an attempt may still time out).
          mock.faults.clear();
          if (schedule.tokenClockJump) offset += 3 * 3_600_000;
          const final = await Promise.all(
            first.map(async (outcome, index) => {
              const call = calls[index] as (typeof calls)[number];
              let current = outcome;
              for (let retry = 0; retry < 3; retry++) {
                if (current.kind !== "error" || !current.error.retryable) break;
                figures.retries++;
                const key = current.error.idempotencyKey;
                current = await settle(
                  refunds.refund({
                    ...requestFor(call.provider, call.id, call.amount),
                    ...(key === null ? {} : { idempotencyKey: key }),
                  } as RefundRequest),
                );
              }
              return current;
            }),
          );

          for (const [index, outcome] of [...first, ...final].entries()) {
            const call = calls[index % calls.length] as (typeof calls)[number];
            const where = `${call.provider} ${call.id}`;
            if (outcome.kind === "other") {
              violations.push(
                `${where}: ended in neither a result nor a RefundError: ${inspect(outcome.value)}`,
              );
              continue;
            }
            const text =
              outcome.kind === "result"
                ? JSON.stringify(outcome.result)
                : [
                    JSON.stringify(outcome.error),
                    inspect(outcome.error, { depth: 6 }),
                    String(outcome.error.stack),
                  ].join("\n");
            for (const secret of [...SECRETS, JWT_PREFIX]) {
              if (text.includes(secret)) violations.push(`${where}: a credential in ${text}`);
            }
          }

          for (const [index, call] of calls.entries()) {
            const where = `${call.provider} ${call.id}`;
            const order = mock.orders.get(call.provider as MockProvider, call.id);
            const held = live(order);
            const outcome = final[index] as Outcome;
            // Never two refunds for one call (one order a call) or for one key.
            if (held.length > 1) violations.push(`${where}: ${held.length} refunds for one call`);
            const keys = (order?.refunds ?? []).flatMap((r) => r.idempotencyKey ?? []);
            if (new Set(keys).size !== keys.length) violations.push(`${where}: a key used twice`);
            if (outcome.kind === "result") {
              figures.results++;
              const { result } = outcome;
              // A result names the one refund its call made: live, or (only when the 2xx body
              // could not be read, so the outcome is still open) one the provider later rejected.
              const made = order?.refunds ?? [];
              const applied = made[0];
              const statusStated =
                typeof result.raw === "object" && result.raw !== null && "status" in result.raw;
              if (applied === undefined) {
                violations.push(`${where}: a result, but nothing was refunded`);
              } else if (
                applied.status === "rejected" &&
                (result.status !== "pending" || statusStated)
              ) {
                violations.push(`${where}: a ${result.status} result for a rejected refund`);
              } else if (
                result.amount !== applied.amount &&
                !(result.amount === null && call.provider === "levelup")
              ) {
                violations.push(
                  `${where}: result amount ${result.amount}, ledger applied ${applied.amount}`,
                );
              }
              if (result.status === "succeeded" && applied?.status !== "approved") {
                violations.push(`${where}: succeeded, but the ledger holds it ${applied?.status}`);
              }
            } else if (outcome.kind === "error") {
              figures.errors++;
              const { code } = outcome.error;
              codes.set(code, (codes.get(code) ?? 0) + 1);
              if (code !== "timeout" && code !== "network_error" && held.length > 0) {
                violations.push(
                  `${where}: ${code} (${outcome.error.message}), yet ${held[0]?.amount} was refunded`,
                );
              }
            }
          }
          for (const line of logged) {
            for (const secret of [...SECRETS, JWT_PREFIX]) {
              if (line.includes(secret)) violations.push(`a credential in a log line: ${line}`);
            }
          }
          expect(violations, `schedule ${run}: ${JSON.stringify(schedule)}`).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      process.off("warning", onWarning);
      vi.restoreAllMocks();
      // Printed after the spies are gone, so it reaches the test output.
      console.log(
        `fault suite: seed ${SEED}, ${figures.schedules} schedules, ${figures.calls} calls (+${figures.retries} retries with the error's key), ${figures.faults} faults injected; ${figures.results} results, ${figures.errors} errors ${JSON.stringify(Object.fromEntries(codes))}`,
      );
    }
  }, 120_000);
});
