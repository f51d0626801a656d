/**
 * After the first answer: reading a refund back (`retrieve`), following a pending one to its end
 * (`waitUntilFinal`), resolving an ambiguous failure (`reconcile`) and verifying webhooks.
 */
import {
  type BriqpayConfig,
  briqpayCartTotals,
  briqpayLookupWith,
  briqpayWebhooks,
  createBriqpayCaller,
} from "@refundkit/briqpay";
import {
  abortableSleep,
  attemptStartOf,
  type ConnectedLookup,
  configError,
  createReplayGuard,
  isRefundError,
  type LifecycleCapabilities,
  noteAttemptStart,
  PROVIDERS,
  type ProviderLookup,
  type ProviderName,
  type ProviderWebhooks,
  type RefundResult,
  type RetrievedOrder,
  type RetrievedRefund,
  refundError,
  type TransportOptions,
  type WebhookEvent,
  type WebhookInput,
} from "@refundkit/core/internal";
import {
  createLevelUpCaller,
  type LevelUpConfig,
  levelupLookupWith,
  levelupWebhooks,
} from "@refundkit/levelup";
import { type MoyasarConfig, moyasarLookup, moyasarWebhooks } from "@refundkit/moyasar";
import {
  createOpttyCaller,
  type OpttyConfig,
  opttyLookupWith,
  opttyWebhooks,
} from "@refundkit/optty";
import {
  createSezzleCaller,
  type SezzleConfig,
  sezzleLookupWith,
  sezzleWebhooks,
} from "@refundkit/sezzle";
import { badCall, isProviderName, unknownProvider } from "./bad-call.js";

/** What `retrieve` is asked. */
export interface RetrieveRequest<P extends ProviderName = ProviderName> {
  provider: P;
  /** The provider's order / session id, as in the refund. */
  orderId: string;
  /** Cancels the lookup. */
  signal?: AbortSignal;
}

/** A refund that reached its end and succeeded, as `waitUntilFinal` resolves with it. */
export interface FinalRefund<P extends ProviderName = ProviderName> extends RetrievedRefund {
  provider: P;
  orderId: string;
  status: "succeeded";
}

/** Options of `waitUntilFinal`: deadline, cancellation and polling backoff. */
export interface WaitOptions {
  /** Give up (RefundError "timeout") after this many milliseconds. Default 120 000. */
  timeoutMs?: number;
  /** Cancels the wait: rejects with the signal's reason. */
  signal?: AbortSignal;
  /** First pause between lookups in ms, doubled after each (at most `maxIntervalMs`). Default 1000. */
  intervalMs?: number;
  /** Longest pause between lookups in ms. Default 15 000. */
  maxIntervalMs?: number;
}

/** What `reconcile` found: never a guess. */
export type ReconcileResult =
  | { refunded: true; refund: RetrievedRefund }
  | { refunded: false }
  | { refunded: "unknown"; reason: string };

/** The request `reconcile` is asked about: the refund request as it was sent to `refund()`. */
export interface ReconcileRequest {
  provider: ProviderName;
  orderId: string;
  amount?: number;
  currency?: string;
  idempotencyKey?: string;
  cart?: Parameters<typeof briqpayCartTotals>[0];
  captureId?: string;
  /**
   * When the refund request was sent, by the merchant's clock: a `Date` or epoch milliseconds
   * (an integer, e.g. `Date.now()` taken right before sending). Give it when reconciling in
   * another process than the one that called `refund()` (a re-run after a crash): refunds the
   * provider stamps before this time are not claimed as this request's, and one stamped at or
   * after it can be. Default: the start of the failed `refund()` call, which this process
   * remembers for the error it rejected with; without either, a refund that only its amount
   * matches is reported `{ refunded: "unknown" }`. Used where the provider has no handle of its
   * own for the refund (Briqpay, and Sezzle/Optty without a matching idempotency key); LevelUp
   * refunds an order once, so its refund is the answer unless stamped more than 5 minutes
   * before the send (then `{ refunded: false }`: it was an earlier refund).
   *
   * Errors: RefundError("invalid_request"), before any request, when it is not a valid `Date`,
   * not an integer number of milliseconds, before 2000-01-01 (seconds given instead of
   * milliseconds) or more than 5 minutes in the future.
   */
  sentAt?: Date | number;
}

export interface LifecycleConfig {
  sezzle?: SezzleConfig;
  optty?: OpttyConfig;
  levelup?: LevelUpConfig;
  moyasar?: MoyasarConfig;
  briqpay?: BriqpayConfig;
}

export interface Lifecycle {
  /**
   * What the provider says about the order's refunds now: `{ provider, orderId, currency,
   * refundedAmount, refunds: [{ refundId, amount, currency, status, createdAt }], raw }`, amounts
   * in integer minor units. RefundError("unsupported") where no lookup is documented (MPG);
   * `invalid_request` when the provider is not configured or the id could change the path.
   */
  retrieve<P extends ProviderName>(request: RetrieveRequest<P>): Promise<RetrievedOrder<P>>;
  /**
   * Follows a refund result to its end. A `succeeded` result resolves at once; a `pending` one is
   * looked up with backoff until the provider lists it as succeeded (resolves), failed
   * (RefundError "declined", the lookup in `raw`) or the time is up (RefundError "timeout").
   * Lookups that fail retryably are tried again; others reject. Clears its timers and listeners.
   */
  waitUntilFinal<P extends ProviderName>(
    result: RefundResult<P>,
    options?: WaitOptions,
  ): Promise<FinalRefund<P>>;
  /**
   * After a refund call failed without a clear answer (timeout, network_error, a 5xx of a
   * provider without idempotency), reads the provider and says whether this request's refund is
   * there: `{ refunded: true, refund }` (it may still be `pending`), `{ refunded: false }` (no
   * such refund, or it was rejected), or `{ refunded: "unknown", reason }` when the lookup cannot
   * tell this refund from another (same amount, no time or id to tell them apart). In another
   * process than the one that called `refund()`, pass `request.sentAt` (see ReconcileRequest).
   * `error` is what `refund(request)` rejected with: its RefundError, or, when your own `signal`
   * aborted it, the signal's reason (an object; such an attempt may have reached the provider).
   * Anything else: RefundError("invalid_request").
   */
  reconcile(request: ReconcileRequest, error: unknown): Promise<ReconcileResult>;
  webhooks: {
    /**
     * Authenticates a webhook delivery and returns it normalised, or rejects with RefundError:
     * Sezzle by its `Sezzle-Signature` (HMAC-SHA256 of the raw body with the merchant private
     * key; stale and replayed deliveries refused), Briqpay by reading the session back (and
     * `x-briq-signature` when a webhook secret is set). `unsupported` where no refund webhook
     * is documented.
     */
    verify<P extends ProviderName>(provider: P, input: WebhookInput): Promise<WebhookEvent<P>>;
  };
  /** Records when a failed refund call started (the facade's refund() calls this). */
  noteAttempt(error: unknown, startedAt: number): void;
}

type AnyLookup = ProviderLookup<ProviderName, unknown>;
type AnyWebhooks = ProviderWebhooks<ProviderName, unknown>;

/** Each provider's lookup over its caller, as the facade's adapters (see refunds.ts). */
const lookups: Record<ProviderName, AnyLookup> = {
  sezzle: /* @__PURE__ */ sezzleLookupWith(createSezzleCaller) as AnyLookup,
  optty: /* @__PURE__ */ opttyLookupWith(createOpttyCaller) as AnyLookup,
  levelup: /* @__PURE__ */ levelupLookupWith(createLevelUpCaller) as AnyLookup,
  moyasar: moyasarLookup as AnyLookup,
  briqpay: /* @__PURE__ */ briqpayLookupWith(createBriqpayCaller) as AnyLookup,
};

const webhookVerifiers: Record<ProviderName, AnyWebhooks> = {
  sezzle: sezzleWebhooks as AnyWebhooks,
  optty: opttyWebhooks as AnyWebhooks,
  levelup: levelupWebhooks as AnyWebhooks,
  moyasar: moyasarWebhooks as AnyWebhooks,
  briqpay: briqpayWebhooks as AnyWebhooks,
};

/** `refunds.capabilities()`'s lifecycle half, per provider. */
export function lifecycleCapabilities(provider: ProviderName): LifecycleCapabilities {
  return { ...lookups[provider].capabilities };
}

/**
 * How far the provider's clock and the merchant's may differ. A refund stamped less than this
 * before the send may be this request's refund on a lagging clock, or an earlier refund: the
 * stamps cannot decide, so such a refund is never claimed (it leaves the answer "unknown").
 */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** 2000-01-01T00:00:00Z: an epoch-ms `sentAt` before it was most likely given in seconds. */
const EARLIEST_SENT_AT = 946_684_800_000;

/** An ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`); anything else is undated. */
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** RefundError("invalid_request"): core's refusal of a bad call or config, not retryable. */
const invalid = configError;

function checkProvider(value: unknown, where: string): ProviderName {
  if (isProviderName(value)) return value;
  throw unknownProvider(value, where);
}

function positive(value: unknown, name: string, fallback: number, provider: ProviderName): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw invalid(provider, `${name} must be a positive number of milliseconds`);
  }
  return value;
}

/** `request.sentAt` as epoch ms (undefined when not given); RefundError when it is not a time. */
function sentAtOf(request: ReconcileRequest): number | undefined {
  const value: unknown = request.sentAt;
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms)) {
    throw invalid(
      request.provider,
      "reconcile(request, error): sentAt must be a valid Date or an integer number of epoch milliseconds",
    );
  }
  if (ms < EARLIEST_SENT_AT) {
    throw invalid(
      request.provider,
      "reconcile(request, error): sentAt is before 2000-01-01; give epoch milliseconds (Date.now()), not seconds",
    );
  }
  if (ms > Date.now() + CLOCK_SKEW_MS) {
    throw invalid(
      request.provider,
      "reconcile(request, error): sentAt is in the future; give the time the refund request was sent",
    );
  }
  return ms;
}

/** The amount a request asked for, in minor units (Briqpay: from its cart); null for "full". */
function requestedAmount(request: ReconcileRequest): number | null {
  if (request.amount !== undefined) {
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw invalid(request.provider, "amount must be a positive integer of minor units");
    }
    return request.amount;
  }
  if (request.provider === "briqpay" && Array.isArray(request.cart)) {
    return briqpayCartTotals(request.cart).amountIncVat;
  }
  return null;
}

export function createLifecycle(config: LifecycleConfig, options: TransportOptions): Lifecycle {
  const connected = new Map<ProviderName, ConnectedLookup<ProviderName>>();
  for (const provider of PROVIDERS) {
    const providerConfig = config[provider];
    if (providerConfig === undefined) continue;
    connected.set(provider, lookups[provider].connect(providerConfig, options));
  }
  const attempts = new WeakMap<object, number>();
  const replay = createReplayGuard();

  function lookupFor(provider: ProviderName, where: string): ConnectedLookup<ProviderName> {
    if (!lookups[provider].capabilities.retrieve) {
      // The provider package's own refusal explains why (no documented lookup).
      return lookups[provider].connect(undefined, options);
    }
    const lookup = connected.get(provider);
    if (lookup === undefined) {
      throw invalid(
        provider,
        `${where}: not configured; pass config.${provider} to createRefunds()`,
      );
    }
    return lookup;
  }

  async function retrieve<P extends ProviderName>(
    request: RetrieveRequest<P>,
  ): Promise<RetrievedOrder<P>> {
    if (request === null || typeof request !== "object") {
      throw badCall(undefined, "retrieve(request): request must be an object");
    }
    const provider = checkProvider(request.provider, "retrieve(request)");
    const lookup = lookupFor(provider, "retrieve()");
    return (await lookup.retrieve(
      request.orderId,
      request.signal === undefined ? {} : { signal: request.signal },
    )) as RetrievedOrder<P>;
  }

  /** The refund of `result` in a lookup: by the provider's id, or (Optty) the refund reference. */
  function findRefund(order: RetrievedOrder, result: RefundResult): RetrievedRefund | undefined {
    const ids = [result.refundId, result.idempotencyKey].filter(
      (id): id is string => typeof id === "string" && id !== "",
    );
    return order.refunds.find(
      (refund) => refund.refundId !== null && ids.includes(refund.refundId),
    );
  }

  async function waitUntilFinal<P extends ProviderName>(
    result: RefundResult<P>,
    waitOptions: WaitOptions = {},
  ): Promise<FinalRefund<P>> {
    if (result === null || typeof result !== "object") {
      throw badCall(undefined, "waitUntilFinal(result): result must be a refund result");
    }
    const provider = checkProvider(result.provider, "waitUntilFinal(result)") as P;
    if (result.status === "succeeded") {
      return {
        provider,
        orderId: result.orderId,
        refundId: result.refundId,
        amount: result.amount,
        currency: result.currency,
        status: "succeeded",
        createdAt: null,
      };
    }
    if (result.status !== "pending") {
      throw invalid(provider, 'waitUntilFinal(result): status must be "succeeded" or "pending"');
    }
    const timeoutMs = positive(waitOptions.timeoutMs, "timeoutMs", 120_000, provider);
    let interval = positive(waitOptions.intervalMs, "intervalMs", 1_000, provider);
    const maxInterval = positive(waitOptions.maxIntervalMs, "maxIntervalMs", 15_000, provider);
    const lookup = lookupFor(provider, "waitUntilFinal()");
    if (result.refundId === null && result.idempotencyKey === null) {
      throw invalid(provider, "waitUntilFinal(result): the result has no refundId to look for");
    }

    // One signal for the caller's cancel and the deadline; both are cleaned up in `finally`.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error("deadline")), timeoutMs);
    const signal =
      waitOptions.signal === undefined
        ? deadline.signal
        : AbortSignal.any([waitOptions.signal, deadline.signal]);
    const timedOut = () =>
      refundError(
        provider,
        "timeout",
        `refund ${result.refundId ?? result.idempotencyKey} of order ${result.orderId} still pending after ${timeoutMs} ms`,
        { retryable: true },
      );
    try {
      for (;;) {
        let order: RetrievedOrder | undefined;
        try {
          order = await lookup.retrieve(result.orderId, { signal });
        } catch (error) {
          if (waitOptions.signal?.aborted) throw waitOptions.signal.reason;
          if (deadline.signal.aborted) throw timedOut();
          if (!(isRefundError(error) && error.retryable)) throw error;
        }
        const refund = order === undefined ? undefined : findRefund(order, result);
        if (refund?.status === "succeeded") {
          return { ...refund, status: "succeeded", provider, orderId: result.orderId };
        }
        if (refund?.status === "failed") {
          throw refundError(
            provider,
            "declined",
            `refund ${refund.refundId} of order ${result.orderId} failed at the provider`,
            { raw: order?.raw },
          );
        }
        try {
          await abortableSleep(interval, signal);
        } catch {
          if (waitOptions.signal?.aborted) throw waitOptions.signal.reason;
          throw timedOut();
        }
        interval = Math.min(interval * 2, maxInterval);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async function reconcile(request: ReconcileRequest, error: unknown): Promise<ReconcileResult> {
    if (request === null || typeof request !== "object") {
      throw badCall(undefined, "reconcile(request, error): request must be an object");
    }
    const provider = checkProvider(request.provider, "reconcile(request, error)");
    // What refund(request) rejected with: its RefundError, or (an abort by the caller's own
    // signal, which rejects with the signal's reason, as fetch does) that reason, which refund()
    // noted with its start like any error; such an attempt may have reached the provider too.
    const noted = typeof error === "object" && error !== null && attempts.has(error);
    if (isRefundError(error) ? error.provider !== provider : !noted) {
      throw invalid(
        provider,
        "reconcile(request, error): error must be what refund(request) rejected with: its RefundError, or your signal's abort reason",
      );
    }
    // An object from here on: a RefundError, or a noted abort reason.
    const failure = error as object & { retryable?: unknown };
    const wanted = requestedAmount(request);
    const sentAt = sentAtOf(request);
    const lookup = lookupFor(provider, "reconcile()");
    const order = await lookup.retrieve(request.orderId);

    // When the request was sent: the caller's `sentAt` (another process, e.g. a re-run after a
    // crash), else the start of the failed refund() call this process remembers.
    const startedAt = sentAt ?? attemptStartOf(failure) ?? attempts.get(failure);
    // Places a refund against the send by the provider's stamp: true (stamped at or after the
    // send: may be this one), false (stamped more than CLOCK_SKEW_MS before: provably earlier,
    // never this one), null (cannot decide). The stamp is the provider's clock and the send time
    // the merchant's, and neither side documents how far they may differ, so a refund stamped
    // within CLOCK_SKEW_MS before the send may be this request's refund on a lagging provider
    // clock, or an earlier refund: undecided, it is not claimed and the answer stays "unknown".
    // Briqpay's `createdAt` is optional and documented as ISO 8601 in UTC
    // (https://developer.briqpay.com/docs/3.0.0/api/read-session, e.g. "2023-04-12T13:16:08.647Z");
    // a stamp without an offset would be read in this machine's time zone, so it counts as
    // undated, as does a missing one. A stamp to the second (or minute) covers that whole second
    // (minute): made in the second of the send, it may be after it.
    const inWindow = (refund: RetrievedRefund): boolean | null => {
      if (startedAt === undefined || refund.createdAt === null) return null;
      const stamp = ZONED_DATE_TIME.exec(refund.createdAt);
      if (stamp === null) return null;
      const created = Date.parse(refund.createdAt);
      if (Number.isNaN(created)) return null;
      const span = stamp[2] !== undefined ? 0 : stamp[1] !== undefined ? 999 : 59_999;
      if (created + span >= startedAt) return true;
      return created < startedAt - CLOCK_SKEW_MS ? false : null;
    };
    // LevelUp refunds the whole order once: a refunded order is this refund's outcome, unless
    // its `refunded_at` places it provably before the send (then this request, if it arrived,
    // was answered "already refunded" and refunded nothing; sending it again cannot refund twice).
    if (provider === "levelup") {
      const refund = order.refunds.find((candidate) => candidate.status === "succeeded");
      if (refund === undefined || inWindow(refund) === false) return { refunded: false };
      return { refunded: true, refund };
    }

    // A refund named by this request's own handle (Optty lists refunds by reference) decides:
    // the one given, else the one the error reports having sent (when the error carries it).
    const sent: unknown = (error as { idempotencyKey?: unknown }).idempotencyKey;
    const handle = request.idempotencyKey ?? (typeof sent === "string" ? sent : undefined);
    if (handle !== undefined) {
      const own = order.refunds.find((refund) => refund.refundId === handle);
      if (own !== undefined) {
        return own.status === "failed" ? { refunded: false } : { refunded: true, refund: own };
      }
    }

    const currency = request.currency ?? order.currency;
    const sameMoney = order.refunds.filter(
      (refund) =>
        (wanted === null || refund.amount === wanted) &&
        (currency === null || refund.currency === null || refund.currency === currency),
    );
    // Refunds that provably predate the attempt are not this one.
    const candidates = sameMoney.filter((refund) => inWindow(refund) !== false);
    const live = candidates.filter((refund) => refund.status !== "failed");
    if (live.length === 0) return { refunded: false };
    const undated = live.filter((refund) => inWindow(refund) === null);
    if (live.length === 1 && undated.length === 0) {
      const [refund] = live as [RetrievedRefund];
      return { refunded: true, refund };
    }
    if (undated.length > 0) {
      return {
        refunded: "unknown",
        reason: `${provider} lists ${live.length} refund(s) of this amount on order ${request.orderId} without a time that places them after this attempt (a refund stamped up to ${CLOCK_SKEW_MS / 60_000} minutes before it may be an earlier one, the clocks may differ)${
          failure.retryable === true ? "; retry refund() with the same idempotencyKey instead" : ""
        }`,
      };
    }
    return {
      refunded: "unknown",
      reason: `${provider} lists ${live.length} refunds of this amount on order ${request.orderId} made since this attempt; cannot tell which is this one`,
    };
  }

  async function verify<P extends ProviderName>(
    providerName: P,
    input: WebhookInput,
  ): Promise<WebhookEvent<P>> {
    const provider = checkProvider(providerName, "webhooks.verify(provider, input)") as P;
    if (input === null || typeof input !== "object" || input.headers == null) {
      throw invalid(provider, "webhooks.verify(provider, input): input must be { headers, body }");
    }
    const verifier = webhookVerifiers[provider];
    const providerConfig = config[provider];
    const lookup = verifier.kind === "read-back" ? connected.get(provider) : undefined;
    if (verifier.kind === "read-back" && lookup === undefined) {
      throw invalid(
        provider,
        `webhooks.verify(): reading the ${provider} session back needs config.${provider}`,
      );
    }
    const event = await verifier.verify(input, {
      secret: input.secret ?? verifier.secretFrom(providerConfig),
      toleranceMs: input.toleranceMs,
      now: Date.now,
      replay,
      retrieve: async (orderId) => {
        if (lookup === undefined) throw invalid(provider, "no lookup configured");
        return lookup.retrieve(orderId);
      },
    });
    return event as WebhookEvent<P>;
  }

  return {
    retrieve,
    waitUntilFinal,
    reconcile,
    webhooks: { verify },
    noteAttempt(error, startedAt) {
      // On a RefundError of this copy of core, a private field; anything else in the WeakMap.
      if (noteAttemptStart(error, startedAt)) return;
      // One object noted by two calls (an abort reason shared by several refunds) places neither:
      // NaN, so reconcile() claims no refund by its time ("unknown" rather than a guess).
      if (typeof error === "object" && error !== null) {
        attempts.set(error, attempts.has(error) ? Number.NaN : startedAt);
      }
    },
  };
}
