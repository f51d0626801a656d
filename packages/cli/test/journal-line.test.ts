import { describe, expect, it } from "vitest";
import { journalLine, type OutcomeRecord, type SendRecord } from "../src/bulk/journal.js";

// journal.ts writes the records of every row by hand rather than through JSON.stringify; the
// line must be exactly what JSON.stringify writes, whatever the text in the row.
describe("journalLine", () => {
  const texts = [
    "plain-123",
    'a "quoted" order',
    "back\\slash",
    "tab\there, new\nline, bell\u0007, nul\u0000, del\u007f",
    "Åsa 返金 💸",
    "lone \ud800 surrogate",
    "",
  ];
  it("writes a key or send record as JSON.stringify does", () => {
    for (const value of texts) {
      for (const kind of ["key", "send"] as const) {
        const record: SendRecord = {
          kind,
          row: 12,
          provider: "sezzle",
          order: value,
          amount: kind === "key" ? 2498 : null,
          currency: kind === "key" ? "USD" : null,
          key: kind === "key" ? value : null,
          at: "2026-12-01T00:00:00.000Z",
        };
        const line = journalLine(record);
        expect(line).toBe(`${JSON.stringify(record)}\n`);
        expect(JSON.parse(line)).toEqual(record);
      }
    }
  });
  it("writes an outcome as JSON.stringify does", () => {
    for (const value of texts) {
      const record: OutcomeRecord = {
        kind: "outcome",
        row: 3,
        status: "failed",
        refundId: value,
        amount: 0,
        currency: "JPY",
        key: null,
        code: "invalid_request",
        message: value,
        retryable: true,
        at: "2026-12-01T00:00:00.000Z",
      };
      const line = journalLine(record);
      expect(line).toBe(`${JSON.stringify(record)}\n`);
      expect(JSON.parse(line)).toEqual(record);
    }
  });
});
