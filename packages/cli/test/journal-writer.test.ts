import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalWriter, type OutcomeRecord, type SendRecord } from "../src/bulk/journal.js";

const key = (row: number): SendRecord => ({
  kind: "key",
  row,
  provider: "sezzle",
  order: `sz-${row}`,
  amount: 100,
  currency: "USD",
  key: `key-${row}`,
  at: "2026-12-01T00:00:00.000Z",
});
const outcome = (row: number): OutcomeRecord => ({
  kind: "outcome",
  row,
  status: "succeeded",
  refundId: `rf-${row}`,
  amount: 100,
  currency: "USD",
  key: `key-${row}`,
  code: null,
  message: null,
  retryable: false,
  at: "2026-12-01T00:00:01.000Z",
});

// The journal writes through the thread pool, one write or fdatasync at a time: a durable
// append resolves only once its lines are written and covered by an fdatasync, and every record
// reaches the file in the order appended.
describe("JournalWriter", () => {
  it("writes every record in the order appended, durable ones before they resolve", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "refundkit-journal-")), "run.journal.jsonl");
    const journal = await JournalWriter.open(path);
    const expected: (SendRecord | OutcomeRecord)[] = [];
    const durable: Promise<void>[] = [];
    for (let row = 1; row <= 40; row++) {
      expected.push(key(row));
      const written = journal.appendDurable([key(row)]);
      durable.push(
        written.then(() => {
          // On disk before it resolves: the file holds the record already.
          expect(readFileSync(path, "utf8")).toContain(`"key":"key-${row}"`);
        }),
      );
      if (row % 3 === 0) await written;
      if (row > 1) {
        journal.append(outcome(row - 1));
        expected.push(outcome(row - 1));
      }
    }
    await Promise.all(durable);
    await journal.close();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected);
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a write that fails rejects the durable append and the close",
    async () => {
      // Linux's /dev/full answers every write with ENOSPC.
      const journal = await JournalWriter.open("/dev/full");
      await expect(journal.appendDurable([key(1)])).rejects.toThrow(/ENOSPC/);
      expect(journal.failure).not.toBeNull();
      await expect(journal.appendDurable([key(2)])).rejects.toThrow(/ENOSPC/);
      await expect(journal.close()).rejects.toThrow(/ENOSPC/);
    },
  );
});
