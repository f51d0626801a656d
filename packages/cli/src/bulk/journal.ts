import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { ProviderName } from "refundkit";

/**
 * The bulk journal: an append-only JSONL file next to the CSV (`<name>.journal.jsonl`).
 *
 * - `send` is written and fsync'd BEFORE a row's request goes out: it holds the idempotency key
 *   decided for the row, so a re-run after a crash sends the same key (or, for providers without
 *   an idempotency handle, knows the row was in flight and reconciles it instead of re-sending).
 * - `outcome` is written after the answer: handed to the OS at once (a `kill -9` of this process
 *   does not lose it, the kernel has it), and made durable by the next fsync of a `send`/`key`
 *   record or at the end. Only a power loss can lose one, and that only makes its row look in
 *   flight, which is handled as above.
 *
 * Writes are group-committed: every record appended while a write runs goes out with the next
 * one, and one fdatasync covers every `send`/`key` record in it, so many rows share one flush.
 */

export type RowStatus = "succeeded" | "pending" | "failed" | "needs_review";

export interface SendRecord {
  /**
   * "key": the idempotency key of a row of an idempotent provider, written ahead of its send
   * (sending it again with this key cannot refund twice, so whether it went out does not matter).
   * "send": written right before the request of a row of a provider without an idempotency
   * handle: the request may have reached the provider.
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

/** An open journal: appends resolve once written, and once on disk when asked to be durable. */
export class JournalWriter {
  private pending: string[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  /** Whether a record in `pending` must be on disk before its promise resolves. */
  private durable = false;
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;

  private constructor(private readonly handle: FileHandle) {}

  /** Opens `path` for appending; a last line cut short by a crash is ended first. */
  static async open(path: string): Promise<JournalWriter> {
    const handle = await open(path, "a+");
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.write("\n");
    }
    return new JournalWriter(handle);
  }

  /**
   * Appends a record. Resolves once it is written to the file (the OS has it: it survives the
   * process being killed) and, when `durable` (the default), once it is on disk (fdatasync).
   */
  append(record: JournalRecord, durable = true): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.pending.push(`${JSON.stringify(record)}\n`);
    if (durable) this.durable = true;
    const done = new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
    this.flushing ??= this.flushLoop();
    return done;
  }

  private async flushLoop(): Promise<void> {
    // Let the records appended in this turn of the event loop join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const data = this.pending.join("");
      const waiters = this.waiters;
      const durable = this.durable;
      this.pending = [];
      this.waiters = [];
      this.durable = false;
      try {
        await this.handle.write(data);
        if (durable) await this.handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        this.failure = error;
        for (const waiter of [...waiters, ...this.waiters]) waiter.reject(error);
        this.waiters = [];
        this.pending = [];
      }
    }
    this.flushing = null;
  }

  /** Waits for every appended record to be on disk, then closes the file. */
  async close(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
    try {
      if (this.failure === null) await this.handle.datasync();
    } finally {
      await this.handle.close();
    }
    if (this.failure !== null) throw this.failure;
  }
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
