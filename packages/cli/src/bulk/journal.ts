import {
  closeSync,
  createReadStream,
  existsSync,
  fdatasync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { ProviderName } from "refundkit";

/**
 * The bulk journal: an append-only JSONL file next to the CSV (`<name>.journal.jsonl`).
 *
 * - `key` / `send` is written and fsync'd BEFORE a row's request goes out: it holds the
 *   idempotency key decided for the row, so a re-run after a crash sends the same key (or, for
 *   providers without an idempotency handle, knows the row may have been sent and reconciles it
 *   instead of re-sending). These records are written ahead in batches, one fsync for many rows
 *   (see `sendAll` in run.ts for how far ahead a `send` record may be).
 * - `outcome` is written after the answer: handed to the OS within a few milliseconds (with the
 *   other outcomes of that span, OUTCOME_WRITE_MS, or, when an fdatasync is running, as soon as
 *   it ends), and made durable by
 *   the next fsync of a `send`/`key` record or at the end. A `kill -9` in those milliseconds, or a
 *   power loss, can lose one, and that only makes its row look in flight, which is handled as
 *   above.
 *
 * Writes are group-committed: every record appended while a flush runs goes out with the next
 * one, and one fdatasync covers every `send`/`key` record written before it, so many rows share
 * one flush. Nothing is written while an fdatasync runs: a write then can wait for the file
 * system's journal commit (`strace -T` saw 1.5 ms at p99 and up to 68 ms beside one, against
 * 9 us at p50), and the records it would write wait for the next fdatasync anyway.
 */

export type RowStatus = "succeeded" | "pending" | "failed" | "needs_review";

export interface SendRecord {
  /**
   * "key": the idempotency key of a row of an idempotent provider, written ahead of its send
   * (sending it again with this key cannot refund twice, so whether it went out does not matter).
   * "send": a row of a provider without an idempotency handle is about to be sent: from here on
   * its request may have reached the provider. Written shortly before the request (never after
   * it), so `at` is never later than the send.
   */
  kind: "key" | "send";
  row: number;
  provider: ProviderName;
  order: string;
  /** Minor units, null for a full refund. */
  amount: number | null;
  currency: string | null;
  /** The idempotency key sent; null where the provider has no idempotency handle. */
  key: string | null;
  at: string;
}

export interface OutcomeRecord {
  kind: "outcome";
  row: number;
  status: RowStatus;
  refundId: string | null;
  /** What the provider reports refunded, minor units (null: not reported / nothing). */
  amount: number | null;
  currency: string | null;
  key: string | null;
  code: string | null;
  message: string | null;
  /** A failure that the same request (same key) may safely repeat: a re-run sends it again. */
  retryable: boolean;
  at: string;
}

interface StartRecord {
  kind: "start";
  input: string;
  pid: number;
  at: string;
}

type JournalRecord = SendRecord | OutcomeRecord | StartRecord;

/** What the journal knows about one row. */
export interface RowState {
  send: SendRecord | null;
  outcome: OutcomeRecord | null;
}

export interface JournalContents {
  rows: Map<number, RowState>;
  /** Lines that could not be read (a write cut short by a crash), by line number. */
  torn: number[];
}

/** Reads a journal line by line (constant memory besides the rows' states); none: empty. */
export async function readJournal(path: string): Promise<JournalContents> {
  const rows = new Map<number, RowState>();
  const torn: number[] = [];
  if (!existsSync(path)) return { rows, torn };
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      torn.push(number);
      continue;
    }
    if (record.kind === "start") continue;
    const state = rows.get(record.row) ?? { send: null, outcome: null };
    if (record.kind === "send" || record.kind === "key") {
      // A new attempt: its outcome, if any, comes after it.
      state.send = record;
      state.outcome = null;
    } else if (record.kind === "outcome") {
      state.outcome = record;
    }
    rows.set(record.row, state);
  }
  return { rows, torn };
}

/**
 * How long an outcome may wait before it is written (ms): the outcomes of the rows answered
 * meanwhile share one `write` (at 2,000 rows/s, one system call for about eight rows rather than
 * one per turn of the event loop). A `kill -9` in that window loses them, which only makes their
 * rows look in flight to the re-run (the same key sent again, or reconciled), as for an outcome
 * appended while an fdatasync runs.
 */
const OUTCOME_WRITE_MS = 4;

/**
 * An open journal. Records are written with one `write` per OUTCOME_WRITE_MS (a plain write
 * to the page cache, a few microseconds: after it the OS has them, so a `kill -9` of this
 * process does not lose them), and made durable by `fdatasync`, one at a time, each covering
 * every record written before it started (group commit): records appended while a flush runs
 * are written when it ends, and share the next one.
 */
export class JournalWriter {
  /** Lines appended and not yet written. */
  private lines: string[] = [];
  /** Waiters for written records that the next fdatasync covers. */
  private toSync: Deferred[] = [];
  private syncing = false;
  private writeTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private syncDone: (() => void) | null = null;
  /** The first write or flush error: every later append and flush rejects with it. */
  failure: unknown = null;

  private constructor(private readonly fd: number) {}

  /** Opens `path` for appending; a last line cut short by a crash is ended first. */
  static async open(path: string): Promise<JournalWriter> {
    const handle = await open(path, "a+");
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.write("\n");
    }
    await handle.close();
    return new JournalWriter(openSync(path, "a"));
  }

  /**
   * Appends a record that need not be on disk at once (an outcome): written within
   * OUTCOME_WRITE_MS (with the others appended meanwhile), made durable by the next flush. A
   * failure to write shows in `failure`.
   */
  append(record: JournalRecord): void {
    if (this.failure !== null || this.closed) return;
    this.lines.push(journalLine(record));
    // While an fdatasync runs, its end writes them (see `sync`).
    if (!this.syncing) this.scheduleWrite();
  }

  /**
   * Appends records and resolves once they are on disk (written, then covered by an
   * fdatasync); rejects with the write or flush error. Used for what must be on disk before a
   * request goes out (the rows' keys and send records).
   */
  appendDurable(records: readonly JournalRecord[]): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    for (const record of records) this.lines.push(journalLine(record));
    // Written now rather than at the end of the turn: the request waits for this flush. While
    // one runs, they are written when it ends, right before the next one starts.
    if (!this.syncing) this.write();
    if (this.failure !== null) return Promise.reject(this.failure);
    const waiter = deferred();
    this.toSync.push(waiter);
    this.sync();
    return waiter.promise;
  }

  private scheduleWrite(): void {
    if (this.writeTimer !== null) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = null;
      if (!this.syncing) this.write();
    }, OUTCOME_WRITE_MS);
  }

  /** Writes every appended line, in order, to the file (the OS has them after it). */
  private write(): void {
    if (this.failure !== null) return;
    if (this.lines.length > 0) {
      const data = Buffer.from(
        this.lines.length === 1 ? (this.lines[0] as string) : this.lines.join(""),
      );
      this.lines = [];
      try {
        let written = 0;
        while (written < data.length) written += writeSync(this.fd, data, written);
      } catch (error) {
        this.fail(error);
        return;
      }
    }
  }

  /** One fdatasync at a time; it covers every record written before it started. */
  private sync(): void {
    if (this.syncing || this.toSync.length === 0) return;
    const waiters = this.toSync;
    this.toSync = [];
    this.syncing = true;
    fdatasync(this.fd, (error) => {
      this.syncing = false;
      if (error) {
        for (const waiter of waiters) waiter.reject(error);
        this.fail(error);
      } else {
        for (const waiter of waiters) waiter.resolve();
        // What was appended meanwhile: written before the next fdatasync starts.
        this.write();
      }
      if (this.toSync.length > 0) this.sync();
      else this.syncDone?.();
    });
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.toSync) waiter.reject(this.failure);
    this.toSync = [];
    this.lines = [];
  }

  /** Writes what is left, waits for every record to be on disk, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.writeTimer !== null) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    try {
      if (this.failure === null) {
        while (this.syncing)
          await new Promise<void>((resolve) => {
            this.syncDone = resolve;
          });
        this.write();
        if (this.failure === null) {
          await new Promise<void>((resolve, reject) =>
            fdatasync(this.fd, (error) => (error ? reject(error) : resolve())),
          );
        }
      }
    } finally {
      closeSync(this.fd);
    }
    if (this.failure !== null) throw this.failure;
  }
}

/**
 * A record as its journal line: what `JSON.stringify(record)` gives, plus the line break. The two
 * records written for every row (`key`/`send`, `outcome`) are put together from their fields,
 * which costs about half of stringifying the object; a string with anything JSON escapes goes
 * through JSON.stringify. Written as they are: the names the code chooses (kind, status,
 * provider) and `at`, an ISO 8601 time.
 */
export function journalLine(record: JournalRecord): string {
  if (record.kind === "outcome") {
    return `{"kind":"outcome","row":${number(record.row)},"status":"${record.status}","refundId":${text(record.refundId)},"amount":${number(record.amount)},"currency":${text(record.currency)},"key":${text(record.key)},"code":${text(record.code)},"message":${text(record.message)},"retryable":${record.retryable},"at":"${record.at}"}\n`;
  }
  if (record.kind === "key" || record.kind === "send") {
    return `{"kind":"${record.kind}","row":${number(record.row)},"provider":"${record.provider}","order":${text(record.order)},"amount":${number(record.amount)},"currency":${text(record.currency)},"key":${text(record.key)},"at":"${record.at}"}\n`;
  }
  return `${JSON.stringify(record)}\n`;
}

/** Text JSON.stringify writes as is: no quote, backslash, control character or surrogate. */
const PLAIN = /^[\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]*$/;

function text(value: string | null): string {
  if (value === null) return "null";
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

function number(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : "null";
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/**
 * A lock file beside the journal, so two runs never work on the same CSV at once. A lock left
 * by a process that no longer exists (killed with -9) is taken over.
 */
export function acquireLock(path: string): { release(): void } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release() {
          try {
            unlinkSync(path);
          } catch {}
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new LockedError(pid);
      }
      unlinkSync(path);
    }
  }
  throw new LockedError(null);
}

export class LockedError extends Error {
  constructor(readonly pid: number | null) {
    super(
      `another refundkit bulk${pid === null ? "" : ` (pid ${pid})`} is working on this file: wait for it to finish`,
    );
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
