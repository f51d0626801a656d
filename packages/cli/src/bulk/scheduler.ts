import type { ProviderName } from "refundkit";

interface Lane {
  queue: (() => Promise<void>)[];
  active: number;
  /** Current limit: lowered on 429, raised back one step per `limit` successes. */
  limit: number;
  successes: number;
  pausedUntil: number;
  /** A task of this lane ended: its slot is free (one pair per lane, not two closures per task). */
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Runs tasks with at most `concurrency` at once overall and at most `perProvider` (lowered while
 * a provider answers 429) for each provider, taking providers in turn so that one slow or
 * rate-limited provider does not hold the others' slots.
 */
export class Scheduler {
  private active = 0;
  private queued = 0;
  private readonly lanes = new Map<ProviderName, Lane>();
  private readonly order: ProviderName[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: { room: number; resolve: () => void }[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly perProvider: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a task for `provider`; `first`: ahead of the others (a retry). */
  submit(provider: ProviderName, task: () => Promise<void>, first = false): void {
    const lane = this.lane(provider);
    if (first) lane.queue.unshift(task);
    else lane.queue.push(task);
    this.queued++;
    this.pump();
  }

  /** The provider answered 429: halve its limit and pause it for `waitMs`. */
  slowDown(provider: ProviderName, waitMs: number): void {
    const lane = this.lane(provider);
    lane.limit = Math.max(1, Math.floor(lane.limit / 2));
    lane.successes = 0;
    lane.pausedUntil = Math.max(lane.pausedUntil, this.now() + waitMs);
    this.pump();
  }

  /** A request to `provider` went through: after `limit` of them, allow one more at once. */
  succeeded(provider: ProviderName): void {
    const lane = this.lane(provider);
    if (lane.limit >= this.perProvider) return;
    lane.successes++;
    if (lane.successes >= lane.limit) {
      lane.limit++;
      lane.successes = 0;
      this.pump();
    }
  }

  /** The current limit of a provider (for the summary). */
  limitOf(provider: ProviderName): number {
    return this.lane(provider).limit;
  }

  /** Drops every queued task (running ones finish); for a run told to stop. */
  dropQueued(): void {
    for (const lane of this.lanes.values()) lane.queue = [];
    this.queued = 0;
    this.pump();
  }

  /** Tasks queued or running. */
  pending(): number {
    return this.queued + this.active;
  }

  /** Whether fewer than `room` tasks wait (the reader need not call `waitForRoom`). */
  hasRoom(room: number): boolean {
    return this.queued < room;
  }

  /** Resolves when fewer than `room` tasks wait (backpressure for the CSV reader). */
  waitForRoom(room: number): Promise<void> {
    if (this.queued < room) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ room, resolve }));
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private lane(provider: ProviderName): Lane {
    let lane = this.lanes.get(provider);
    if (lane === undefined) {
      const done = () => {
        this.active--;
        created.active--;
        this.pump();
      };
      const created: Lane = {
        queue: [],
        active: 0,
        limit: this.perProvider,
        successes: 0,
        pausedUntil: 0,
        done,
        failed: (error: unknown) => {
          done();
          // As unhandled as before: a task that throws is a bug, not a row's failure.
          throw error;
        },
      };
      lane = created;
      this.lanes.set(provider, lane);
      this.order.push(provider);
    }
    return lane;
  }

  private pump(): void {
    // The clock is read only when a lane is paused (after a 429), not on every pump.
    let now = 0;
    let wakeAt = Number.POSITIVE_INFINITY;
    let idleRounds = 0;
    while (this.active < this.concurrency && this.queued > 0 && idleRounds < this.order.length) {
      const provider = this.order[this.next % this.order.length] as ProviderName;
      this.next++;
      const lane = this.lanes.get(provider) as Lane;
      if (lane.queue.length === 0 || lane.active >= lane.limit) {
        idleRounds++;
        continue;
      }
      if (lane.pausedUntil !== 0) {
        if (now === 0) now = this.now();
        if (lane.pausedUntil > now) {
          wakeAt = Math.min(wakeAt, lane.pausedUntil);
          idleRounds++;
          continue;
        }
        lane.pausedUntil = 0;
      }
      idleRounds = 0;
      const task = lane.queue.shift() as () => Promise<void>;
      this.queued--;
      this.active++;
      lane.active++;
      task().then(lane.done, lane.failed);
    }
    if (wakeAt !== Number.POSITIVE_INFINITY && this.timer === null) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.pump();
        },
        Math.max(1, wakeAt - now),
      );
    }
    if (this.roomWaiters.length > 0) {
      // Kept in place (a pump runs twice per row): only a waiter that gets room is let go.
      let kept = 0;
      for (const waiter of this.roomWaiters) {
        if (this.queued >= waiter.room) this.roomWaiters[kept++] = waiter;
        else waiter.resolve();
      }
      this.roomWaiters.length = kept;
    }
    if (this.active === 0 && this.queued === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

/**
 * Rows of one order go one at a time, in file order, whatever the provider:
 * - the outcome of a file does not depend on which answer comes back first: of two rows that
 *   together exceed what is left on an order, the earlier row is refunded and the later one
 *   refused (amount_exceeds_refundable), every run alike, as the file reads;
 * - a provider is never asked to refund one order twice at once;
 * - without an idempotency handle (LevelUp, Briqpay), a row's `send` record would otherwise be
 *   written before the previous row of the same order has finished, and a re-run reconciling it
 *   could take that row's refund (same order, same amount, stamped after the record) for its own.
 * The reader waits for the order to be free (`free`) before it lets the next row of it in
 * (`enter`); recording a row's outcome lets it go (`leave`).
 */
export class OrderGate {
  /** Orders with a row in the pipeline, each with the readers waiting for it to finish. */
  private readonly taken = new Map<string, (() => void)[]>();

  private static keyOf(row: { provider: ProviderName; orderId: string }): string {
    return `${row.provider}\u0000${row.orderId}`;
  }

  busy(row: { provider: ProviderName; orderId: string }): boolean {
    return this.taken.has(OrderGate.keyOf(row));
  }

  enter(row: { provider: ProviderName; orderId: string }): void {
    this.taken.set(OrderGate.keyOf(row), []);
  }

  /** Resolves when the order's row in the pipeline has finished (or `wakeAll`). */
  free(row: { provider: ProviderName; orderId: string }): Promise<void> {
    const waiters = this.taken.get(OrderGate.keyOf(row));
    if (waiters === undefined) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  }

  leave(row: { provider: ProviderName; orderId: string }): void {
    const key = OrderGate.keyOf(row);
    const waiters = this.taken.get(key);
    if (waiters === undefined) return;
    this.taken.delete(key);
    for (const resolve of waiters) resolve();
  }

  /** Wakes every waiting reader (the run is stopping); the orders stay taken. */
  wakeAll(): void {
    for (const waiters of this.taken.values()) {
      for (const resolve of waiters.splice(0)) resolve();
    }
  }
}
