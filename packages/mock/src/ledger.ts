import type { BriqpayLine } from "@refundkit/briqpay";
import { isCurrencyCode } from "@refundkit/core";
import type { AnswerWire } from "./answers.js";
import { isoMillis } from "./time.js";
import type { Clock, MockProvider } from "./types.js";
import { isMockProvider, MOCK_PROVIDERS } from "./types.js";

/** A Briqpay cart line as sent on the wire (regular item or `sales_tax` line), from the generated spec types. */
export type BriqpayCartLine = BriqpayLine;

/** One capture of a seeded Briqpay session (refunds can name it by `captureId`). */
export interface BriqpayCapture {
  /** Generated (a UUID) when absent. */
  captureId?: string;
  /** Integer minor units. */
  amount: number;
}

interface SeedBase {
  /** The provider's order id (Briqpay: the session id, a UUID). */
  id: string;
  /** Captured amount, integer minor units. */
  amount: number;
  /** ISO 4217. */
  currency: string;
  /** `false`: authorised but not captured, so nothing is refundable yet. Default true. */
  captured?: boolean;
  /** Every refund on this order takes this long to process (exposes in-flight duplicates). */
  processingMs?: number;
}

/** An order to seed the ledger with: captured amount (integer minor units), currency and provider extras. */
export type SeedOrder =
  | (SeedBase & { provider: "sezzle" })
  | (SeedBase & {
      provider: "optty";
      bnplProvider?: string;
      /**
       * The BNPL provider settles refunds later: Optty answers `refundStatus: "PENDING"` with a
       * `callbackUrl`, and the refund stays pending until `orders.settle`. Default false.
       */
      pendingRefunds?: boolean;
    })
  | (Omit<SeedBase, "currency"> & {
      provider: "levelup";
      /** LevelUp amounts are US cents; default "USD". */
      currency?: string;
      /** When set, a refund must carry this `manager_confirmation`. */
      managerConfirmation?: string;
      /** Part of `amount` that is tip (cents). Default 0. */
      tipAmount?: number;
      /** The merchant the order belongs to; the order lookup then needs this id. Default: any id. */
      merchantId?: number;
    })
  | (SeedBase & { provider: "moyasar" })
  | (SeedBase & {
      provider: "briqpay";
      /** The session's order lines, kept for the ledger. */
      cart?: BriqpayCartLine[];
      /** Partial captures; when there is more than one, refunds must name a `captureId`. Default: one capture of `amount`. */
      captures?: BriqpayCapture[];
      /** What pending refunds settle as. Default "approved". */
      settleAs?: "approved" | "rejected";
      /** 0: answer already settled; N: settle N ms after the refund; absent: pending until `orders.settle`. */
      settleAfterMs?: number;
    });

/** A mocked refund's state: approved, pending (settles later) or rejected. */
export type MockRefundStatus = "approved" | "pending" | "rejected";

/** One refund the mock recorded on an order. */
export interface MockRefund {
  id: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  status: MockRefundStatus;
  createdAt: string;
  /** The provider's idempotency handle this refund was made with, if any. */
  idempotencyKey: string | null;
  captureId: string | null;
  cart: BriqpayCartLine[] | null;
}

/** An order in the mock's ledger with its refunds and what is still refundable (minor units). */
export interface MockOrder {
  provider: MockProvider;
  id: string;
  amount: number;
  currency: string;
  captured: boolean;
  createdAt: string;
  /** Sum of refunds that are approved or pending (a pending refund holds its amount). */
  refundedAmount: number;
  /** What can still be refunded. */
  refundableAmount: number;
  refunds: MockRefund[];
  /** Provider-specific seed options (cart, captures, managerConfirmation, settleAs, ...). */
  details: Record<string, unknown>;
}

/** The mock's ledger: seed, read, settle and reset orders and their refunds. */
export interface MockOrders {
  /** Adds (or replaces) an order. Throws a TypeError for an invalid seed. */
  seed(order: SeedOrder): MockOrder;
  /** The order, or undefined when it was never seeded. */
  get(provider: MockProvider, id: string): MockOrder | undefined;
  /** Every order, with its refunds. */
  list(): MockOrder[];
  /** Settles a pending (Briqpay, or Optty with `pendingRefunds`) refund now, as `outcome` or the order's `settleAs`. */
  settle(
    provider: MockProvider,
    orderId: string,
    refundId: string,
    outcome?: "approved" | "rejected",
  ): MockRefund;
  /** Forgets every order, refund and idempotency record. */
  reset(): void;
}

/** Internal, mutable. */
export interface OrderState {
  seed: SeedOrder;
  provider: MockProvider;
  id: string;
  amount: number;
  currency: string;
  captured: boolean;
  createdAt: number;
  refunds: RefundState[];
  captures: Required<BriqpayCapture>[];
}

export interface RefundState {
  id: string;
  amount: number;
  currency: string;
  status: MockRefundStatus;
  createdAt: number;
  idempotencyKey: string | null;
  captureId: string | null;
  cart: BriqpayCartLine[] | null;
  settlesAt: number | null;
  settleAs: "approved" | "rejected";
}

/** A key's first successful answer as it was sent (status, header fields, body bytes), to replay. */
export type IdempotentAnswer = AnswerWire;

/** A key's record; `fingerprint` is what the key was first used for (order and parameters). */
type IdempotencyRecord =
  | { state: "in_flight"; fingerprint: string; done: Promise<IdempotentAnswer | undefined> }
  | { state: "done"; fingerprint: string; answer: IdempotentAnswer };

/**
 * A key in flight. `done` (what a second request with the key waits on) is made only if one
 * comes: most keys are used once.
 */
class InFlight {
  readonly state = "in_flight";
  #done: Promise<IdempotentAnswer | undefined> | undefined;
  #resolve: ((answer: IdempotentAnswer | undefined) => void) | undefined;
  #settled = false;
  #answer: IdempotentAnswer | undefined;

  constructor(readonly fingerprint: string) {}

  get done(): Promise<IdempotentAnswer | undefined> {
    if (this.#done === undefined) {
      this.#done = this.#settled
        ? Promise.resolve(this.#answer)
        : new Promise((resolve) => {
            this.#resolve = resolve;
          });
    }
    return this.#done;
  }

  settle(answer: IdempotentAnswer | undefined): void {
    this.#settled = true;
    this.#answer = answer;
    this.#resolve?.(answer);
  }
}

export interface Ledger extends MockOrders {
  /**
   * `seed` without the snapshot it answers: for the admin API's array of orders, whose answer is
   * a count. `owned`: the input is the caller's to give (freshly parsed JSON), kept as it is.
   */
  add(order: SeedOrder, options?: { owned?: boolean }): void;
  find(provider: MockProvider, id: string): OrderState | undefined;
  /** Settles refunds whose time has come; call before reading statuses. */
  tick(order: OrderState): void;
  refundable(order: OrderState, captureId?: string | null): number;
  addRefund(order: OrderState, refund: Omit<RefundState, "createdAt">): RefundState;
  idempotency: {
    get(provider: MockProvider, key: string): IdempotencyRecord | undefined;
    /** Marks a key in flight; the returned function completes it (undefined: forget it). */
    begin(
      provider: MockProvider,
      key: string,
      fingerprint: string,
    ): (answer: IdempotentAnswer | undefined) => void;
  };
}

/**
 * One empty map per provider, in an object without a prototype: a name that is not a provider
 * (`constructor`, `__proto__`) finds nothing rather than an Object method.
 */
function perProvider<Value>(): Record<MockProvider, Map<string, Value>> {
  const maps = Object.create(null) as Record<MockProvider, Map<string, Value>>;
  for (const provider of MOCK_PROVIDERS) maps[provider] = new Map<string, Value>();
  return maps;
}

function assertAmount(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `${what} must be a non-negative integer of minor units; got ${String(value)}`,
    );
  }
}

export function createLedger(options: {
  clock: Clock;
  /** Throws when `id` is not a valid path parameter for the provider's refund operation. */
  validateId: (provider: MockProvider, id: string) => void;
  /** Told when a refund is created and when a pending one settles (the mock's webhooks). */
  onRefundChange?: (order: OrderState, refund: RefundState, change: "created" | "settled") => void;
}): Ledger {
  const { clock } = options;
  // Every order in the order it was first seeded (what `list` gives), and each provider's orders
  // and idempotency keys by id: a refund's lookups use the id as it came, no composite key.
  const orders = new Map<string, OrderState>();
  const key = (provider: MockProvider, id: string) => `${provider}\u0000${id}`;
  const ordersOf = perProvider<OrderState>();
  const keys = perProvider<IdempotencyRecord>();

  function tick(order: OrderState): void {
    const now = clock();
    for (const refund of order.refunds) {
      if (refund.status === "pending" && refund.settlesAt !== null && refund.settlesAt <= now) {
        refund.status = refund.settleAs;
        refund.settlesAt = null;
        options.onRefundChange?.(order, refund, "settled");
      }
    }
  }

  function held(order: OrderState, captureId?: string | null): number {
    return order.refunds
      .filter((refund) => refund.status !== "rejected")
      .filter((refund) => captureId == null || refund.captureId === captureId)
      .reduce((sum, refund) => sum + refund.amount, 0);
  }

  function capturedAmount(order: OrderState, captureId?: string | null): number {
    if (!order.captured) return 0;
    if (captureId != null) {
      return order.captures.find((capture) => capture.captureId === captureId)?.amount ?? 0;
    }
    return order.provider === "briqpay"
      ? order.captures.reduce((sum, capture) => sum + capture.amount, 0)
      : order.amount;
  }

  function refundable(order: OrderState, captureId?: string | null): number {
    tick(order);
    return Math.max(0, capturedAmount(order, captureId) - held(order, captureId));
  }

  function snapshotRefund(refund: RefundState): MockRefund {
    return {
      id: refund.id,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
      createdAt: isoMillis(refund.createdAt),
      idempotencyKey: refund.idempotencyKey,
      captureId: refund.captureId,
      cart: refund.cart === null ? null : structuredClone(refund.cart),
    };
  }

  function snapshot(order: OrderState): MockOrder {
    tick(order);
    const {
      provider: _p,
      id: _i,
      amount: _a,
      currency: _c,
      captured: _cap,
      ...details
    } = order.seed as SeedOrder & Record<string, unknown>;
    if (order.provider === "briqpay") details.captures = structuredClone(order.captures);
    return {
      provider: order.provider,
      id: order.id,
      amount: order.amount,
      currency: order.currency,
      captured: order.captured,
      createdAt: isoMillis(order.createdAt),
      refundedAmount: held(order),
      refundableAmount: refundable(order),
      refunds: order.refunds.map(snapshotRefund),
      details: structuredClone(details),
    };
  }

  function add(input: SeedOrder, owned = false): OrderState {
    if (typeof input !== "object" || input === null) throw new TypeError("order must be an object");
    if (!isMockProvider(input.provider)) {
      throw new TypeError(`unknown provider ${JSON.stringify(input.provider)}`);
    }
    if (typeof input.id !== "string" || input.id === "") {
      throw new TypeError("order id must be a non-empty string");
    }
    options.validateId(input.provider, input.id);
    assertAmount(input.amount, "amount");
    const currency = input.currency ?? (input.provider === "levelup" ? "USD" : undefined);
    if (!isCurrencyCode(currency)) {
      throw new TypeError(
        `currency must be an upper-case ISO 4217 code; got ${JSON.stringify(currency)}`,
      );
    }
    if (input.processingMs !== undefined) assertAmount(input.processingMs, "processingMs");
    let captures: Required<BriqpayCapture>[] = [];
    if (input.provider === "briqpay") {
      const given = input.captures ?? [{ amount: input.amount }];
      if (!Array.isArray(given)) throw new TypeError("captures must be an array");
      captures = given.map((capture, index) => {
        assertAmount(capture?.amount, `captures[${index}].amount`);
        return { captureId: capture.captureId ?? crypto.randomUUID(), amount: capture.amount };
      });
      if (
        input.settleAs !== undefined &&
        input.settleAs !== "approved" &&
        input.settleAs !== "rejected"
      ) {
        throw new TypeError('settleAs must be "approved" or "rejected"');
      }
      if (input.settleAfterMs !== undefined) assertAmount(input.settleAfterMs, "settleAfterMs");
      if (input.cart !== undefined && !Array.isArray(input.cart))
        throw new TypeError("cart must be an array");
    }
    if (input.provider === "levelup") {
      if (input.tipAmount !== undefined) assertAmount(input.tipAmount, "tipAmount");
      if (
        input.managerConfirmation !== undefined &&
        typeof input.managerConfirmation !== "string"
      ) {
        throw new TypeError("managerConfirmation must be a string");
      }
    }
    const state: OrderState = {
      // A copy: the caller may change its object afterwards.
      seed: owned ? input : structuredClone(input),
      provider: input.provider,
      id: input.id,
      amount: input.amount,
      currency,
      captured: input.captured ?? true,
      createdAt: clock(),
      refunds: [],
      captures,
    };
    orders.set(key(input.provider, input.id), state);
    ordersOf[input.provider].set(input.id, state);
    return state;
  }

  return {
    seed(input) {
      return snapshot(add(input));
    },
    add(input, addOptions) {
      add(input, addOptions?.owned === true);
    },
    get(provider, id) {
      const order = ordersOf[provider]?.get(id);
      return order === undefined ? undefined : snapshot(order);
    },
    list() {
      return [...orders.values()].map(snapshot);
    },
    settle(provider, orderId, refundId, outcome) {
      const order = ordersOf[provider]?.get(orderId);
      if (order === undefined) throw new RangeError(`no ${provider} order ${orderId}`);
      tick(order);
      const refund = order.refunds.find((candidate) => candidate.id === refundId);
      if (refund === undefined)
        throw new RangeError(`no refund ${refundId} on ${provider} order ${orderId}`);
      if (refund.status !== "pending") {
        throw new RangeError(`refund ${refundId} is already ${refund.status}`);
      }
      refund.status = outcome ?? refund.settleAs;
      refund.settlesAt = null;
      options.onRefundChange?.(order, refund, "settled");
      return snapshotRefund(refund);
    },
    reset() {
      orders.clear();
      for (const provider of MOCK_PROVIDERS) {
        ordersOf[provider].clear();
        keys[provider].clear();
      }
    },
    find(provider, id) {
      return ordersOf[provider]?.get(id);
    },
    tick,
    refundable,
    addRefund(order, refund) {
      const state: RefundState = {
        id: refund.id,
        amount: refund.amount,
        currency: refund.currency,
        status: refund.status,
        createdAt: clock(),
        idempotencyKey: refund.idempotencyKey,
        captureId: refund.captureId,
        cart: refund.cart,
        settlesAt: refund.settlesAt,
        settleAs: refund.settleAs,
      };
      order.refunds.push(state);
      options.onRefundChange?.(order, state, "created");
      return state;
    },
    idempotency: {
      get(provider, idempotencyKey) {
        return keys[provider]?.get(idempotencyKey);
      },
      begin(provider, idempotencyKey, fingerprint) {
        const providerKeys = keys[provider];
        const record = new InFlight(fingerprint);
        providerKeys.set(idempotencyKey, record);
        return (answer) => {
          if (answer === undefined) providerKeys.delete(idempotencyKey);
          else providerKeys.set(idempotencyKey, { state: "done", fingerprint, answer });
          record.settle(answer);
        };
      },
    },
  };
}
