import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { createKeepAliveFetch } from "@refundkit/core/node";
import {
  isRefundError,
  type ProviderName,
  type RefundResult,
  type Refunds,
  type RefundsConfig,
} from "refundkit";
import { configFromEnv, refundsFromConfig, withDotEnv } from "../internal/env.js";
import { EXIT, reportFailure, UsageError } from "../internal/output.js";
import { integerOption } from "../refund.js";
import {
  type BulkRow,
  type CsvItem,
  capabilities,
  type RowProblem,
  readBulkCsv,
  readBulkCsvBatches,
  requestFor,
  UnreadableCsvError,
  validatedRow,
} from "./csv.js";
import {
  acquireLock,
  JournalWriter,
  LockedError,
  type OutcomeRecord,
  type RowState,
  readJournal,
  type SendRecord,
} from "./journal.js";
import { reconcileInFlight } from "./reconcile.js";
import { createProgress, formatMinor, Tally } from "./report.js";
import { asTyped, ResultsWriter } from "./results.js";
import { OrderGate, Scheduler } from "./scheduler.js";

/** The `refundkit bulk` options as given on the command line (numbers still as strings). */
export interface BulkOptions {
  concurrency?: string;
  perProvider?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  json?: boolean;
  timeoutMs?: string;
  maxRetries?: string;
}

/** Where output goes, and (for tests and embedding) a wrapper around the facade it uses. */
export interface BulkIo {
  out?: NodeJS.WriteStream;
  err?: NodeJS.WriteStream;
  /** Called with the facade built from the environment; the run uses what it returns. */
  decorate?: (refunds: Refunds) => Refunds;
  /**
   * How many items read by the send pass may wait for an earlier row's answer before being
   * written to the results CSV (default RESULTS_WINDOW, 4,096); beyond it, the rest of the
   * results are written by a last pass over the file. For tests.
   */
  resultsWindow?: number;
}

/** Where a run keeps its files: beside the CSV, named after it. */
export function bulkPaths(file: string) {
  const name = basename(file, extname(file));
  const dir = dirname(file);
  return {
    journal: join(dir, `${name}.journal.jsonl`),
    lock: join(dir, `${name}.journal.lock`),
    results: join(dir, `${name}.results.csv`),
  };
}

/** How many bad rows are printed before "and N more" (a dry run prints them all). */
const SHOWN_PROBLEMS = 20;
/**
 * Rows read ahead of the senders (queued, their key records on disk): bounds memory whatever
 * the file's size, and how long a row waits between its record and its request.
 */
const READ_AHEAD = 512;
/**
 * Items read by the send pass and held for the results CSV until every row before them is
 * answered (see `settle` in `sendAll`): beyond this, the rest are written by a last pass.
 */
const RESULTS_WINDOW = 4_096;
/**
 * The largest file whose rows pass 1 keeps for the send pass (bytes of CSV, and rows): a 10,000
 * row file is read and validated once; a larger one is read again by the send pass, so that a
 * file of any size runs in bounded memory (a kept row costs some hundreds of bytes).
 */
const KEPT_BYTES = 8 * 1024 * 1024;
const KEPT_ROWS = 50_000;
/** A row answered 429 this many times is recorded as rate_limited (a re-run tries it again). */
const MAX_RATE_LIMITED = 8;
/** Key and send records written ahead per fsync. */
const KEY_BATCH = 256;
/**
 * The longest a `send` record (a row of a provider without an idempotency handle) may be on disk
 * before its request goes out; one older when its turn comes (a queue held up by a 429 pause, a
 * slow provider) is written again first. See pass 2 in `sendAll`.
 */
const MAX_SEND_AHEAD_MS = 2_000;

function problemLine(problem: RowProblem): string {
  const where = problem.row === 0 ? "header" : `row ${problem.row} (line ${problem.line})`;
  return `${where}${problem.field === null ? "" : `, ${problem.field}`}: ${problem.message}`;
}

interface Output {
  json: boolean;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

function emit(output: Output, value: unknown): void {
  output.out.write(`${JSON.stringify(value)}\n`);
}

/**
 * Pass 1: every row read and validated, nothing sent. Returns the providers with valid rows, the
 * counts, the money a run would refund, the rows refused for repeating another row's key, and,
 * when `keep` and the file is small enough (KEPT_BYTES, KEPT_ROWS), every item read, so that the
 * send pass works from them rather than reading and validating the file a second time.
 *
 * Read first without each row's file line (csv-parse's per-record info, a few microseconds a
 * row), which only a problem report needs: at the first bad row the file is read again with
 * lines, and the problems are reported from that read.
 */
async function validateFile(
  file: string,
  output: Output,
  showAll: boolean,
  keep: boolean,
  lines = false,
): Promise<Checked> {
  const providers = new Set<ProviderName>();
  const keys = new Map<string, number>();
  /** Rows valid on their own whose key another row has already: invalid for the whole run. */
  const duplicates = new Map<number, RowProblem>();
  const wouldRefund = new Tally();
  let items: (KeptItem | null)[] | null = keep && statSync(file).size <= KEPT_BYTES ? [] : null;
  let headerProblems: string[] = [];
  let valid = 0;
  let invalid = 0;
  let shown = 0;
  const report = (problem: RowProblem) => {
    if (output.json) {
      emit(output, { type: "invalid", ...problem });
    } else if (showAll || shown < SHOWN_PROBLEMS) {
      output.err.write(`${problemLine(problem)}\n`);
      shown++;
    }
  };
  let unreadable: UnreadableCsvError | null = null;
  try {
    read: for await (const batch of readBulkCsvBatches(file, { lines })) {
      if (items !== null) {
        // Past the cap the items are dropped, and the send pass reads the file.
        if (items.length + batch.length > KEPT_ROWS + 1) items = null;
        else for (const item of batch) items.push(keptOf(item));
      }
      for (const item of batch) {
        if (item.kind === "header") {
          headerProblems = item.problems;
          if (headerProblems.length > 0) break read;
          continue;
        }
        if (item.kind === "bad") {
          if (!lines) return validateFile(file, output, showAll, keep, true);
          invalid++;
          for (const problem of item.problems) report(problem);
          continue;
        }
        const row = item.row;
        // Two rows with one idempotency key would be one refund at an idempotent provider.
        const key = row.idempotencyKey ?? row.transactionId;
        if (key !== undefined) {
          const first = keys.get(`${row.provider}\u0000${key}`);
          if (first !== undefined) {
            if (!lines) return validateFile(file, output, showAll, keep, true);
            invalid++;
            const problem: RowProblem = {
              row: row.row,
              line: row.line,
              field: row.idempotencyKey === undefined ? "transaction_id" : "idempotency_key",
              message: `the same key as row ${first}: each row needs its own (or none)`,
            };
            duplicates.set(row.row, problem);
            report(problem);
            continue;
          }
          keys.set(`${row.provider}\u0000${key}`, row.row);
        }
        valid++;
        providers.add(row.provider);
        wouldRefund.add(row.provider, "succeeded", row.amount ?? null, row.currency ?? null);
      }
    }
  } catch (error) {
    if (!(error instanceof UnreadableCsvError)) throw error;
    // Its line is known only from a read with lines.
    if (!lines) return validateFile(file, output, showAll, keep, true);
    unreadable = error;
    report(error.problem);
  }
  if (!output.json && !showAll && invalid > 0 && shown < invalid) {
    output.err.write(`... and more: refundkit bulk ${file} --dry-run lists every bad row\n`);
  }
  keys.clear();
  return {
    headerProblems,
    unreadable,
    providers,
    valid,
    invalid,
    wouldRefund,
    duplicates,
    items: unreadable === null ? items : null,
  };
}

/** What pass 1 found (see `validateFile`). */
interface Checked {
  headerProblems: string[];
  /** The record csv-parse could not read, its problem already reported; null if none. */
  unreadable: UnreadableCsvError | null;
  providers: Set<ProviderName>;
  valid: number;
  invalid: number;
  wouldRefund: Tally;
  duplicates: Map<number, RowProblem>;
  /**
   * Every item of the file in order (header first), or null: the file is read again. The send
   * pass drops (sets to null) each item once it holds it for the results, so that what pass 1
   * kept is freed as the run goes.
   */
  items: (KeptItem | null)[] | null;
}

/**
 * What pass 1 keeps of an item, at the index of its row number: a valid row read without lines
 * as its fields alone (its BulkRow is built again from them when it is sent: half the memory),
 * any other item as read.
 */
type KeptItem = CsvItem | string[];

function keptOf(item: CsvItem): KeptItem {
  return item.kind === "row" && item.row.line === 0 ? item.row.fields : item;
}

/** Turns kept items (or items read from the file) back into items, in file order. */
function itemsOf(): (entry: KeptItem, row: number) => CsvItem {
  let columns: string[] = [];
  return (entry, row) => {
    if (!Array.isArray(entry)) {
      if (entry.kind === "header") columns = entry.columns;
      return entry;
    }
    return { kind: "row", row: validatedRow(columns, entry, row, 0) };
  };
}

function buildRefunds(
  providers: Iterable<ProviderName>,
  env: NodeJS.ProcessEnv,
  options: { concurrency: number; timeoutMs?: number; maxRetries?: number },
): Refunds {
  const config: RefundsConfig = {};
  for (const provider of providers) Object.assign(config, configFromEnv(provider, env));
  return refundsFromConfig(config, {
    fetch: createKeepAliveFetch({ maxSockets: options.concurrency }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
}

function sameRow(row: BulkRow, state: RowState): boolean {
  const send = state.send;
  if (send === null) return true;
  return (
    send.provider === row.provider &&
    send.order === row.orderId &&
    send.amount === (row.amount ?? null) &&
    send.currency === (row.currency ?? null)
  );
}

/** `refundkit bulk <file.csv>`: see the README's CLI section. Resolves with the exit code. */
export async function runBulk(
  file: string,
  options: BulkOptions,
  env: NodeJS.ProcessEnv,
  io: BulkIo = {},
): Promise<number> {
  const streams = io;
  const output: Output = {
    json: options.json === true,
    out: streams.out ?? process.stdout,
    err: streams.err ?? process.stderr,
  };
  try {
    const concurrency = integerOption(options.concurrency, "--concurrency", 1) ?? 8;
    const perProvider = Math.min(
      integerOption(options.perProvider, "--per-provider", 1) ?? concurrency,
      concurrency,
    );
    const timeoutMs = integerOption(options.timeoutMs, "--timeout-ms", 1);
    const maxRetries = integerOption(options.maxRetries, "--max-retries", 0);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new UsageError(`${file}: no such file`);
    }

    // Pass 1: validate every row before anything is sent.
    const checked = await validateFile(
      file,
      output,
      options.dryRun === true,
      options.dryRun !== true,
    );
    if (checked.headerProblems.length > 0) {
      for (const problem of checked.headerProblems) {
        if (output.json)
          emit(output, { type: "invalid", row: 0, line: 1, field: null, message: problem });
        else output.err.write(`header (line 1): ${problem}\n`);
      }
      throw new UsageError(`${file}: the header is not a bulk refund header; nothing was sent`);
    }
    // Dry run or not, --skip-invalid or not: past this row the file cannot be read, so its
    // rows are not known (see UnreadableCsvError).
    if (checked.unreadable !== null) {
      throw new UsageError(`${file}: ${checked.unreadable.message}`);
    }
    if (options.dryRun === true) {
      const summary = {
        valid: checked.valid,
        invalid: checked.invalid,
        wouldRefund: checked.wouldRefund.toJSON(),
      };
      if (output.json) emit(output, { type: "summary", dryRun: true, ...summary });
      else {
        output.out.write(
          `Dry run, nothing sent: ${checked.valid + checked.invalid} rows, ${checked.valid} valid, ${checked.invalid} invalid.\n\n${checked.wouldRefund.formatPlan()}`,
        );
      }
      return checked.invalid > 0 ? EXIT.usage : EXIT.ok;
    }
    if (checked.invalid > 0 && options.skipInvalid !== true) {
      throw new UsageError(
        `${checked.invalid} invalid row${checked.invalid === 1 ? "" : "s"}: nothing was sent. Fix ${checked.invalid === 1 ? "it" : "them"}, or pass --skip-invalid to refund only the valid rows`,
      );
    }

    const built = buildRefunds(checked.providers, withDotEnv(env), {
      concurrency,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(maxRetries === undefined ? {} : { maxRetries }),
    });
    const refunds = io.decorate === undefined ? built : io.decorate(built);
    const paths = bulkPaths(file);
    let lock: { release(): void };
    try {
      lock = acquireLock(paths.lock);
    } catch (error) {
      if (error instanceof LockedError) throw new UsageError(error.message);
      throw error;
    }
    try {
      return await sendAll(file, paths, refunds, checked, output, {
        concurrency,
        perProvider,
        resultsWindow: io.resultsWindow ?? RESULTS_WINDOW,
      });
    } finally {
      lock.release();
    }
  } catch (error) {
    return reportFailure(error, output.json, output.err);
  }
}

async function sendAll(
  file: string,
  paths: ReturnType<typeof bulkPaths>,
  refunds: Refunds,
  checked: Checked,
  output: Output,
  limits: { concurrency: number; perProvider: number; resultsWindow: number },
): Promise<number> {
  const journalState = await readJournal(paths.journal);
  if (journalState.torn.length > 0 && !output.json) {
    output.err.write(
      `journal: ignored ${journalState.torn.length} line(s) cut short by a crash (${paths.journal})\n`,
    );
  }
  const outcomes = new Map<number, OutcomeRecord>();
  let finishedBefore = 0;
  let failedBefore = 0;
  /** Rows an earlier run stopped with in flight: re-keyed ("key") or reconciled ("send"). */
  const inFlightBefore = { key: 0, send: 0 };
  for (const [row, state] of journalState.rows) {
    if (state.outcome === null && state.send !== null) inFlightBefore[state.send.kind]++;
    if (state.outcome !== null) {
      outcomes.set(row, state.outcome);
      if (isFinal(state.outcome)) {
        finishedBefore++;
        if (state.outcome.status === "failed") failedBefore++;
      }
    }
  }
  const validRows = checked.valid;
  const { duplicates } = checked;
  if (journalState.rows.size > 0) {
    await checkUnchanged(file, paths.journal, journalState.rows, checked.items);
  }
  if (finishedBefore > 0 && !output.json) {
    output.err.write(
      `journal: ${finishedBefore} of ${validRows} rows finished in an earlier run (${failedBefore} of them failed for good); skipping them (${paths.journal})\n`,
    );
  }
  const inFlight = inFlightBefore.key + inFlightBefore.send;
  if (inFlight > 0 && !output.json) {
    output.err.write(
      `journal: ${inFlight} row${inFlight === 1 ? "" : "s"} without an outcome from an earlier run (records are written ahead of the requests, so some may never have been sent): ${inFlightBefore.key} sent again with the idempotency key recorded for them, ${inFlightBefore.send} first reconciled with the provider (no idempotency key there)\n`,
    );
  }
  const journal = await JournalWriter.open(paths.journal);
  await journal.appendDurable([
    { kind: "start", input: basename(file), pid: process.pid, at: now() },
  ]);
  const scheduler = new Scheduler(limits.concurrency, limits.perProvider);
  const orders = new OrderGate();
  const progress = createProgress({
    total: validRows,
    done: finishedBefore,
    failed: failedBefore,
    stream: output.err,
    quiet: output.json,
  });
  let journalFailure: unknown = null;
  const failJournal = (error: unknown) => {
    journalFailure ??= error;
    // A reader waiting for an order to be free goes on, sees the failure and stops.
    orders.wakeAll();
  };
  const isIdempotent = (provider: ProviderName) => capabilities(provider).idempotency !== "none";

  // The results CSV is written while rows are sent, in input order: an item read by pass 2
  // waits in `waiting` until it and every item before it are settled (a row sent by this run is
  // settled once its outcome is recorded), then goes to the file, its outcome dropped from
  // `outcomes`. So the results need no third pass over the file, and only the rows between the
  // oldest unsettled row and the reader are held. If that window grows past its limit (a
  // provider paused by 429s while the others go on), pass 2 stops adding to it and a last pass
  // over the file writes the rows after it, as it does for rows a stopped run never read.
  const results = new ResultsWriter(paths.results, SHOWN_PROBLEMS);
  const waiting: CsvItem[] = [];
  let head = 0;
  /** Rows of `waiting` sent by this run and not yet answered. */
  const unsettled = new Set<number>();
  /** The row number of the last item written to the results (0: the header). */
  let written = -1;
  /** The window overflowed: later items are written by the last pass. */
  let deferred = false;
  const settle = (all = false) => {
    while (head < waiting.length) {
      const item = waiting[head] as CsvItem;
      if (!all && item.kind === "row" && unsettled.has(item.row.row)) break;
      written = itemRow(item);
      if (item.kind === "row") {
        results.write(item, outcomes.get(written), duplicates.get(written));
        outcomes.delete(written);
      } else {
        results.write(item, undefined);
      }
      head++;
    }
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    } else if (head >= 1024) {
      waiting.splice(0, head);
      head = 0;
    }
  };

  const record = (outcome: OutcomeRecord, row: BulkRow) => {
    outcomes.set(row.row, outcome);
    if (unsettled.delete(row.row)) settle();
    // Written at once, made durable by the next fsync (see journal.ts): a row whose outcome is
    // lost only looks in flight to a re-run, which sends the same key or reconciles it.
    journal.append(outcome);
    if (journal.failure !== null) failJournal(journal.failure);
    orders.leave(row);
    progress.tick(outcome.status);
    if (output.json) emit(output, { type: "row", ...rowJson(row, outcome), earlierRun: false });
  };

  const outcomeOf = (row: BulkRow, key: string | null, result: RefundResult): OutcomeRecord => ({
    kind: "outcome",
    row: row.row,
    status: result.status,
    refundId: result.refundId,
    amount: result.amount,
    currency: result.currency,
    key: result.idempotencyKey ?? key,
    code: null,
    message: null,
    retryable: false,
    at: now(),
  });
  const failureOf = (
    row: BulkRow,
    key: string | null,
    status: "failed" | "needs_review",
    code: string,
    message: string,
    retryable: boolean,
  ): OutcomeRecord => ({
    kind: "outcome",
    row: row.row,
    status,
    refundId: null,
    amount: null,
    currency: null,
    key,
    code,
    message,
    retryable,
    at: now(),
  });

  const intent = (
    kind: "key" | "send",
    row: BulkRow,
    key: string | null,
    at: string,
  ): SendRecord => ({
    kind,
    row: row.row,
    provider: row.provider,
    order: row.orderId,
    amount: row.amount ?? null,
    currency: row.currency ?? null,
    key,
    at,
  });

  /**
   * Sends a row whose key record is on disk. `sentAt`: for a row of a provider without an
   * idempotency handle, when its `send` record was written (epoch ms); one older than
   * MAX_SEND_AHEAD_MS (or none: a second send after a reconcile) gets a fresh `send` record,
   * fsync'd, before the request goes out.
   */
  async function send(
    row: BulkRow,
    key: string | null,
    sentAt: number | null,
    rateLimited = 0,
    reconciled = false,
  ): Promise<void> {
    if (journalFailure !== null) return;
    if (
      !isIdempotent(row.provider) &&
      (sentAt === null || Date.now() - sentAt > MAX_SEND_AHEAD_MS)
    ) {
      const at = Date.now();
      try {
        await journal.appendDurable([intent("send", row, key, new Date(at).toISOString())]);
      } catch (error) {
        failJournal(error);
        return;
      }
      sentAt = at;
    }
    const request = requestFor(row, key);
    try {
      const result = await refunds.refund(request);
      scheduler.succeeded(row.provider);
      record(outcomeOf(row, key, result), row);
    } catch (error) {
      if (!isRefundError(error)) {
        record(failureOf(row, key, "failed", "internal_error", String(error), false), row);
        return;
      }
      if (error.code === "rate_limited" && rateLimited < MAX_RATE_LIMITED) {
        // 429: this provider slows down (fewer at once, a pause), the others go on. Sending it
        // again is safe: the provider refused it (RefundError.retryable, same key).
        const asked = (error as { retryAfterMs?: unknown }).retryAfterMs;
        const waitMs = typeof asked === "number" ? asked : Math.min(30_000, 500 * 2 ** rateLimited);
        scheduler.slowDown(row.provider, waitMs);
        const resend = sentAt;
        scheduler.submit(
          row.provider,
          () => send(row, key, resend, rateLimited + 1, reconciled),
          true,
        );
        return;
      }
      const ambiguous =
        !isIdempotent(row.provider) &&
        (error.code === "timeout" || error.code === "network_error") &&
        !error.retryable;
      if (ambiguous && reconciled) {
        // Sent once more after the provider said it had nothing, and again no answer: a person
        // looks rather than a loop of sends.
        record(
          failureOf(
            row,
            key,
            "needs_review",
            error.code,
            `${error.message}; sent again after the provider reported no refund, and again no answer: check the order with ${row.provider}`,
            false,
          ),
          row,
        );
        return;
      }
      if (ambiguous) {
        await settleInFlight(row, key, error);
        return;
      }
      record(failureOf(row, key, "failed", error.code, error.message, error.retryable), row);
    }
  }

  /** A non-idempotent row that may have reached the provider: reconciled, never re-sent blind. */
  async function settleInFlight(
    row: BulkRow,
    key: string | null,
    error: Parameters<typeof reconcileInFlight>[2],
    sentAt?: number,
  ): Promise<void> {
    const verdict = await reconcileInFlight(refunds, requestFor(row, key), error, sentAt);
    if (verdict.kind === "refunded") {
      record(outcomeOf(row, key, verdict.refund), row);
    } else if (verdict.kind === "not_refunded") {
      // A new send: a fresh `send` record goes to disk before it.
      await send(row, key, null, 0, true);
    } else {
      record(failureOf(row, key, "needs_review", "needs_review", verdict.reason, false), row);
    }
  }

  // Pass 2: stream the rows again and send what is not finished. Each row's key record (`key`
  // for idempotent providers, `send` for the others) is written ahead in batches, one fsync for
  // many rows, so senders do not wait for the disk; a row is submitted only once its record is
  // on disk.
  //
  // Writing a `send` record ahead of its request is safe because what a re-run does with it only
  // needs the record to be no later than the request: the row is reconciled (the provider read,
  // never re-sent blind), and its `at` is given to reconcile as `sentAt`, which claims only a
  // refund stamped at or after it (refunds.reconcile). A record written early widens the span in
  // which another refund of the same order and amount could be taken for this row's, so that
  // span is kept short: a row of another order runs between them (rows of one order go one at a time,
  // OrderGate), and a record older than MAX_SEND_AHEAD_MS
  // when its turn comes is written again right before the request.
  //
  // One batch is written at a time (its records, then one fdatasync) while the reader goes on
  // filling the next: a batch goes when it is full, when the senders are short of work, or when
  // the reader must wait (`drain`).
  let batch: { row: BulkRow; key: string | null }[] = [];
  let flushing: Promise<void> | null = null;
  const flush = () => {
    if (flushing !== null || batch.length === 0) return;
    const rows = batch;
    batch = [];
    const atMs = Date.now();
    const at = new Date(atMs).toISOString();
    flushing = journal
      .appendDurable(
        rows.map(({ row, key }) =>
          intent(isIdempotent(row.provider) ? "key" : "send", row, key, at),
        ),
      )
      .then(
        () => {
          // Stopped meanwhile: not sent (a re-run reconciles or re-keys them from the journal).
          if (stopSignal !== null) return;
          for (const { row, key } of rows) {
            scheduler.submit(row.provider, () => send(row, key, atMs));
          }
        },
        (error: unknown) => failJournal(error),
      )
      .finally(() => {
        flushing = null;
        if (batch.length >= KEY_BATCH || scheduler.pending() < limits.concurrency) flush();
      });
  };
  /** Resolves once every row read has its record on disk and is submitted. */
  const drain = async () => {
    while ((batch.length > 0 && journalFailure === null) || flushing !== null) {
      flush();
      if (flushing !== null) await flushing;
    }
  };
  // Ctrl-C (or SIGTERM): stop taking rows, let the requests in flight finish and be recorded,
  // write the results; the same command later goes on from there. A second Ctrl-C stops at once
  // (the journal still makes the re-run safe).
  let stopSignal: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stopSignal !== null) process.exit(130);
    stopSignal = signal;
    scheduler.dropQueued();
    orders.wakeAll();
    if (!output.json) {
      output.err.write(
        `\n${signal}: finishing the requests in flight, then stopping (again to stop now)\n`,
      );
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  let readAll = false;
  // The items pass 1 kept, or the file read again (a chunk at a time).
  const items =
    checked.items === null ? readBulkCsvBatches(file, { lines: false }) : [checked.items];
  const itemOf = itemsOf();
  read: for await (const chunk of items) {
    for (let index = 0; index < chunk.length; index++) {
      const item = itemOf(chunk[index] as KeptItem, index);
      if (journalFailure !== null || stopSignal !== null) break read;
      if (!deferred) {
        if (waiting.length - head >= limits.resultsWindow) deferred = true;
        else {
          waiting.push(item);
          // Written to the results from `waiting`: the last pass below skips it.
          chunk[index] = null;
        }
      }
      if (results.full) await results.drained();
      // Rows refused by pass 1 (with --skip-invalid) are not sent.
      if (item.kind !== "row" || duplicates.has(item.row.row)) {
        settle();
        continue;
      }
      const row = item.row;
      const state = journalState.rows.get(row.row);
      const previous = state?.outcome ?? null;
      if (previous !== null && isFinal(previous)) {
        // Finished in an earlier run: not sent again, but --json still gives its row, as the
        // results CSV does ("one JSON object per row"), marked as from that run.
        if (output.json) emit(output, { type: "row", ...rowJson(row, previous), earlierRun: true });
        settle();
        continue;
      }
      unsettled.add(row.row);
      const idempotent = isIdempotent(row.provider);
      // One row of an order at a time, in file order (OrderGate): wait for the one before to
      // finish.
      while (orders.busy(row)) {
        await drain();
        await orders.free(row);
        if (journalFailure !== null || stopSignal !== null) break;
      }
      if (journalFailure !== null || stopSignal !== null) break read;
      orders.enter(row);
      if (!scheduler.hasRoom(READ_AHEAD)) await scheduler.waitForRoom(READ_AHEAD);
      const before = state?.send ?? null;
      if (before !== null && idempotent) {
        // In flight with an idempotency key, or a failure the same request may repeat: the same
        // key again, so the provider answers the first refund instead of making a second.
        scheduler.submit(row.provider, () => send(row, before.key, null));
      } else if (
        before?.kind === "send" &&
        (previous === null || previous.status === "needs_review")
      ) {
        // No idempotency handle, and maybe sent when the last run stopped (or left for review):
        // ask the provider what it has before anything is sent.
        // The journal's send time (written before the request went out) places the provider's
        // refunds against this send: in this new process the facade has no attempt to go by.
        const sentAt = Date.parse(before.at);
        scheduler.submit(row.provider, () =>
          settleInFlight(row, before.key, null, Number.isNaN(sentAt) ? undefined : sentAt),
        );
      } else {
        batch.push({
          row,
          key: idempotent
            ? (row.transactionId ?? row.idempotencyKey ?? randomUUID())
            : // Not sent before, or refused in a way that proves nothing reached the provider.
              (row.idempotencyKey ?? null),
        });
        if (batch.length >= KEY_BATCH || scheduler.pending() < limits.concurrency) flush();
        // Rows read and not yet on disk stay within one batch beyond the one being written.
        if (batch.length >= KEY_BATCH && flushing !== null) await flushing;
      }
    }
  }
  readAll = journalFailure === null && stopSignal === null;
  if (stopSignal === null) await drain();
  while (flushing !== null) await flushing;
  await scheduler.idle();
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  progress.stop();
  try {
    await journal.close();
  } catch (error) {
    journalFailure ??= error;
  }

  // The rest of the results: every item still waiting (a row never answered, because the run
  // stopped: its last outcome, or not sent), then, if pass 2 stopped adding to the window or
  // stopped reading, the file's items after the last one written.
  settle(true);
  if (deferred || !readAll) {
    // A row with an outcome passed validation before it was sent: not validated again.
    const rest =
      checked.items === null
        ? readBulkCsvBatches(file, { known: (row) => outcomes.has(row), lines: false })
        : [checked.items];
    for await (const chunk of rest) {
      for (let index = 0; index < chunk.length; index++) {
        const entry = chunk[index];
        if (entry === null || entry === undefined) continue;
        // The header's columns are known from the send pass (which reads it first).
        const item = itemOf(entry, index);
        const row = itemRow(item);
        if (row <= written) continue;
        results.write(
          item,
          item.kind === "row" ? outcomes.get(row) : undefined,
          item.kind === "row" ? duplicates.get(row) : undefined,
        );
        if (results.full) await results.drained();
      }
    }
  }
  await results.close();
  const { tally, problems } = results;
  if (output.json) {
    emit(output, {
      type: "summary",
      results: paths.results,
      finishedBefore,
      ...tally.toJSON(),
    });
  } else {
    const more = tally.count("failed") + tally.count("needs_review") - problems.length;
    const listed =
      problems.length === 0
        ? ""
        : `\nNot refunded:\n${problems.map((line) => `  ${line}\n`).join("")}${more > 0 ? `  ... and ${more} more in the results\n` : ""}`;
    output.out.write(
      `\n${tally.format()}${listed}\nResults: ${paths.results}\nJournal: ${paths.journal}\n`,
    );
  }
  if (journalFailure !== null) {
    const message =
      journalFailure instanceof Error ? journalFailure.message : String(journalFailure);
    throw new Error(
      `the journal could not be written (${message}): stopped sending; run the same command again once the disk is fixed`,
    );
  }
  if (stopSignal !== null && !output.json) {
    output.err.write(
      `Stopped by ${stopSignal}: ${tally.count("not_sent")} rows not sent. Run the same command again to go on.\n`,
    );
  }
  const notDone =
    tally.count("failed") +
    tally.count("needs_review") +
    tally.count("invalid") +
    tally.count("not_sent");
  return notDone > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * A re-run must be of the same file: each journaled row must still be the same refund. Checked
 * on the items pass 1 kept, if it did; a difference (or no items) is looked for in the file,
 * which gives the row's line.
 */
async function checkUnchanged(
  file: string,
  journalPath: string,
  rows: Map<number, RowState>,
  items: (KeptItem | null)[] | null,
): Promise<void> {
  if (items !== null) {
    const itemOf = itemsOf();
    const changed = items.some((entry, index) => {
      if (entry === null) return false;
      const item = itemOf(entry, index);
      if (item.kind !== "row") return false;
      const state = rows.get(item.row.row);
      return state !== undefined && !sameRow(item.row, state);
    });
    if (!changed) return;
  }
  for await (const item of readBulkCsv(file)) {
    if (item.kind !== "row") continue;
    const state = rows.get(item.row.row);
    if (state !== undefined && !sameRow(item.row, state)) {
      throw new UsageError(
        `row ${item.row.row} (line ${item.row.line}) is not what the journal ${journalPath} recorded for it: the file changed since the last run, so nothing was sent. Restore the file, or move the journal away to start over (rows it records as refunded would be refunded again)`,
      );
    }
  }
}

/** An item's data row number (the header: 0). */
function itemRow(item: CsvItem): number {
  if (item.kind === "row") return item.row.row;
  if (item.kind === "bad") return item.problems[0]?.row ?? 0;
  return 0;
}

/** Finished rows are skipped by a re-run; a failure that may be repeated safely is not finished. */
function isFinal(outcome: OutcomeRecord): boolean {
  if (outcome.status === "needs_review") return false;
  return !(outcome.status === "failed" && outcome.retryable);
}

/** The minute `now` last formatted (epoch ms) and its ISO 8601 text up to the seconds. */
let minuteMs = -1;
let minuteText = "";
/**
 * The time as ISO 8601 for a journal record, as `new Date().toISOString()` writes it: the
 * date, hour and minute formatted once a minute, the seconds and milliseconds added to them
 * (a Date and a full formatting per record cost more than the rest of the record).
 */
function now(): string {
  const ms = Date.now();
  const sinceMinute = ms - minuteMs;
  if (minuteMs < 0 || sinceMinute < 0 || sinceMinute >= 60_000) {
    minuteMs = ms - (ms % 60_000);
    minuteText = new Date(minuteMs).toISOString().slice(0, 17);
    return now();
  }
  const seconds = Math.floor(sinceMinute / 1000);
  const millis = sinceMinute % 1000;
  return `${minuteText}${seconds < 10 ? "0" : ""}${seconds}.${millis < 100 ? (millis < 10 ? "00" : "0") : ""}${millis}Z`;
}

function rowJson(row: BulkRow, outcome: OutcomeRecord) {
  return {
    row: row.row,
    provider: row.provider,
    orderId: row.orderId,
    status: outcome.status,
    refundId: outcome.refundId,
    amount: outcome.amount,
    amountTyped: asTyped(outcome.amount, outcome.currency),
    currency: outcome.currency,
    idempotencyKey: outcome.key,
    errorCode: outcome.code,
    errorMessage: outcome.message,
  };
}

export { formatMinor };
