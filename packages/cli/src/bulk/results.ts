import { once } from "node:events";
import { createWriteStream, renameSync, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { minorToMajor } from "@refundkit/core";
import { stringify } from "csv-stringify/sync";
import type { CsvItem, RowProblem } from "./csv.js";
import type { OutcomeRecord } from "./journal.js";
import { type ResultStatus, Tally } from "./report.js";

/** The columns the results CSV adds after the input's own. */
export const RESULT_COLUMNS = [
  "row",
  "status",
  "refund_id",
  "amount_refunded_minor",
  "amount_refunded",
  "refunded_currency",
  "idempotency_key",
  "error_code",
  "error_message",
];

/** Records stringified and written at a time (csv-stringify's sync API, one write each). */
const BATCH = 256;

/** An amount in minor units as a person types it ("" when unknown). */
export function asTyped(amount: number | null, currency: string | null): string {
  if (amount === null || currency === null) return "";
  try {
    return minorToMajor(amount, currency);
  } catch {
    return "";
  }
}

/**
 * The results CSV (`<name>.results.csv`): every input item in input order, given one at a time,
 * with its outcome; counts them (`tally`) and keeps the first `shown` failures for the summary.
 * Written to `<path>.partial` and renamed to `path` by `close`, so the results file is always a
 * whole run's (a run killed part way leaves the last run's results, and a `.partial` file the
 * next run replaces).
 */
export class ResultsWriter {
  readonly tally = new Tally();
  /** The first failed or needs-review rows, one line each, for the summary. */
  readonly problems: string[] = [];
  private readonly partial: string;
  private readonly target: WriteStream;
  private batch: string[][] = [];
  private columns: readonly string[] = [];
  private providerIndex = -1;

  constructor(
    private readonly path: string,
    private readonly shown: number,
  ) {
    this.partial = `${path}.partial`;
    this.target = createWriteStream(this.partial);
    // A failure to open or write shows in `close` (finished rejects with it), not as a crash.
    this.target.on("error", () => {});
  }

  /**
   * Writes an item: the header, a bad row, or a row with its outcome (`undefined`: not sent in
   * any run). `refused`: a row pass 1 refused on the whole file's account (another row's key).
   */
  write(item: CsvItem, outcome: OutcomeRecord | undefined, refused?: RowProblem): void {
    if (item.kind === "header") {
      this.columns = item.columns;
      this.providerIndex = item.columns.indexOf("provider");
      this.batch.push([...item.columns, ...RESULT_COLUMNS]);
    } else if (item.kind === "bad") {
      this.invalid(item.fields, item.problems[0]?.row, item.problems);
    } else if (refused !== undefined) {
      this.invalid(item.row.fields, item.row.row, [refused]);
    } else {
      const row = item.row;
      const status: ResultStatus = outcome?.status ?? "not_sent";
      this.tally.add(row.provider, status, outcome?.amount ?? null, outcome?.currency ?? null);
      if ((status === "failed" || status === "needs_review") && this.problems.length < this.shown) {
        this.problems.push(
          `row ${row.row} (${row.provider} ${row.orderId}): ${outcome?.code ?? status}: ${(outcome?.message ?? "").replace(`${row.provider}: `, "")}`,
        );
      }
      // The row's fields as read, the results after them.
      this.batch.push(
        row.fields.concat(
          String(row.row),
          status,
          outcome?.refundId ?? "",
          outcome?.amount === null || outcome?.amount === undefined ? "" : String(outcome.amount),
          asTyped(outcome?.amount ?? null, outcome?.currency ?? null),
          outcome?.currency ?? "",
          outcome?.key ?? "",
          outcome?.code ?? (outcome === undefined ? "not_sent" : ""),
          outcome?.message ??
            (outcome === undefined
              ? "not sent: the run stopped before this row (run the same command again)"
              : ""),
        ),
      );
    }
    if (this.batch.length >= BATCH) this.flush();
  }

  /** Whether the file stream holds more than it wants: the caller waits for `drained`. */
  get full(): boolean {
    return this.target.writableNeedDrain;
  }

  /** Resolves once the file stream has room again. */
  async drained(): Promise<void> {
    if (this.target.writableNeedDrain) await once(this.target, "drain");
  }

  /** Writes what is left, closes the file and puts it in place; rejects on a write error. */
  async close(): Promise<void> {
    this.flush();
    this.target.end();
    await finished(this.target);
    renameSync(this.partial, this.path);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const text = stringify(this.batch);
    this.batch = [];
    this.target.write(text);
  }

  private invalid(fields: readonly string[], row: number | undefined, found: RowProblem[]): void {
    const padded = this.columns.map((_, index) => fields[index] ?? "");
    const message = found
      .map((problem) => `${problem.field === null ? "" : `${problem.field}: `}${problem.message}`)
      .join("; ");
    this.tally.add(padded[this.providerIndex] || "(unknown)", "invalid", null, null);
    this.batch.push([
      ...padded,
      String(row ?? ""),
      "invalid",
      "",
      "",
      "",
      "",
      "",
      "invalid_row",
      message,
    ]);
  }
}
