import { currencyExponent } from "@refundkit/core";
import cliProgress from "cli-progress";
import type { ProviderName } from "refundkit";
import { formatTable } from "../internal/output.js";

/** A row's status in the results: the journal's, or why it was not sent. */
export type ResultStatus =
  | "succeeded"
  | "pending"
  | "failed"
  | "needs_review"
  | "invalid"
  | "not_sent";

export const RESULT_STATUSES: readonly ResultStatus[] = [
  "succeeded",
  "pending",
  "failed",
  "needs_review",
  "invalid",
  "not_sent",
];

/** Integer minor units (a bigint sum) as major units, exactly: 2498n USD -> "24.98". */
export function formatMinor(amount: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = amount.toString().padStart(exponent + 1, "0");
  if (exponent === 0) return digits;
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Counts per status and provider, and money per currency. */
export class Tally {
  readonly counts = new Map<string, Map<ResultStatus, number>>();
  /** currency -> { refunded, pending } in minor units. */
  readonly money = new Map<string, { succeeded: bigint; pending: bigint }>();

  add(
    provider: ProviderName | string,
    status: ResultStatus,
    amount: number | null,
    currency: string | null,
  ): void {
    const row = this.counts.get(provider) ?? new Map<ResultStatus, number>();
    row.set(status, (row.get(status) ?? 0) + 1);
    this.counts.set(provider, row);
    if ((status === "succeeded" || status === "pending") && amount !== null && currency !== null) {
      const sums = this.money.get(currency) ?? { succeeded: 0n, pending: 0n };
      sums[status] += BigInt(amount);
      this.money.set(currency, sums);
    }
  }

  count(status: ResultStatus): number {
    let total = 0;
    for (const row of this.counts.values()) total += row.get(status) ?? 0;
    return total;
  }

  total(): number {
    return RESULT_STATUSES.reduce((sum, status) => sum + this.count(status), 0);
  }

  toJSON() {
    return {
      rows: this.total(),
      byStatus: Object.fromEntries(RESULT_STATUSES.map((status) => [status, this.count(status)])),
      byProvider: Object.fromEntries(
        [...this.counts].map(([provider, row]) => [provider, Object.fromEntries(row)]),
      ),
      money: Object.fromEntries(
        [...this.money].map(([currency, sums]) => [
          currency,
          {
            refundedMinor: sums.succeeded.toString(),
            refunded: formatMinor(sums.succeeded, currency),
            pendingMinor: sums.pending.toString(),
            pending: formatMinor(sums.pending, currency),
          },
        ]),
      ),
    };
  }

  /** What a dry run would send: valid rows per provider, amounts per currency. */
  formatPlan(): string {
    const providers = [...this.counts.keys()].sort();
    if (providers.length === 0) return "No valid rows.\n";
    let text = formatTable(
      ["provider", "valid rows"],
      providers.map((provider) => [
        provider,
        String(this.counts.get(provider)?.get("succeeded") ?? 0),
      ]),
      [1],
    );
    const money = [...this.money.keys()].sort().map((currency) => {
      const sums = this.money.get(currency) as { succeeded: bigint };
      return [currency, formatMinor(sums.succeeded, currency)];
    });
    if (money.length > 0) {
      text += `\n${formatTable(["currency", "to refund (rows with an amount)"], money, [1])}`;
    }
    return text;
  }

  /** Two tables for a terminal: rows per provider and status, money per currency. */
  format(): string {
    const statuses = RESULT_STATUSES.filter((status) => this.count(status) > 0);
    const providers = [...this.counts.keys()].sort();
    const rows = providers.map((provider) => {
      const row = this.counts.get(provider) as Map<ResultStatus, number>;
      const total = statuses.reduce((sum, status) => sum + (row.get(status) ?? 0), 0);
      return [provider, ...statuses.map((status) => String(row.get(status) ?? 0)), String(total)];
    });
    rows.push([
      "total",
      ...statuses.map((status) => String(this.count(status))),
      String(this.total()),
    ]);
    const numeric = statuses.map((_, index) => index + 1).concat(statuses.length + 1);
    let text = formatTable(["provider", ...statuses, "rows"], rows, numeric);
    if (this.money.size > 0) {
      const money = [...this.money.keys()].sort().map((currency) => {
        const sums = this.money.get(currency) as { succeeded: bigint; pending: bigint };
        return [
          currency,
          formatMinor(sums.succeeded, currency),
          formatMinor(sums.pending, currency),
        ];
      });
      text += `\n${formatTable(["currency", "refunded", "pending"], money, [1, 2])}`;
    }
    return text;
  }
}

/** Progress while rows are sent: a bar on a TTY, a plain line every few seconds otherwise. */
export interface Progress {
  /** A row finished with this status. */
  tick(status: ResultStatus): void;
  stop(): void;
}

/**
 * `done` and `failed`: rows an earlier run finished (skipped by this one) and how many of them
 * failed, so that the counts shown are of the whole file, as in the summary.
 */
export function createProgress(options: {
  total: number;
  done: number;
  failed?: number;
  stream: NodeJS.WriteStream;
  quiet: boolean;
  intervalMs?: number;
}): Progress {
  const { total, stream } = options;
  let done = options.done;
  let failed = options.failed ?? 0;
  let review = 0;
  const count = (status: ResultStatus) => {
    done++;
    if (status === "failed") failed++;
    else if (status === "needs_review") review++;
  };
  const started = Date.now();
  const startDone = done;
  const rate = () => {
    const seconds = (Date.now() - started) / 1000;
    return seconds <= 0 ? 0 : (done - startDone) / seconds;
  };
  const failures = () => `${failed} failed${review > 0 ? `, ${review} need review` : ""}`;
  if (options.quiet) return { tick: count, stop() {} };
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        format: "{bar} {value}/{total} rows | {speed}/s | ETA {eta_formatted} | {failures}",
        stream,
        hideCursor: true,
        etaBuffer: 200,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, done, { speed: "0", failures: failures() });
    // The bar redraws at most 10 times a second: it is told the counts as often, not per row.
    let shown = 0;
    const show = () => {
      shown = Date.now();
      bar.update(done, { speed: Math.round(rate()).toString(), failures: failures() });
    };
    return {
      tick(status) {
        count(status);
        if (Date.now() - shown >= 100) show();
      },
      stop() {
        show();
        bar.stop();
      },
    };
  }
  const line = () => {
    const speed = rate();
    const left = total - done;
    const eta = speed > 0 ? `${Math.ceil(left / speed)}s` : "-";
    stream.write(
      `bulk: ${done}/${total} rows, ${Math.round(speed)}/s, ${failures()}, ETA ${eta}\n`,
    );
  };
  const timer = setInterval(line, options.intervalMs ?? 2_000);
  timer.unref();
  return {
    tick: count,
    stop() {
      clearInterval(timer);
      line();
    },
  };
}
