import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type MockServer, startMockServer } from "@refundkit/mock";
import type { RefundRequest, Refunds } from "refundkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BulkIo, bulkPaths, runBulk } from "../src/bulk/run.js";
import { briqpayRow, capture, csvFile, mockEnv, records } from "./helpers.js";

let server: MockServer;

beforeEach(async () => {
  server = await startMockServer({ port: 0 });
});

afterEach(async () => {
  await server.close();
});

async function bulk(
  file: string,
  options: Parameters<typeof runBulk>[1] = {},
  decorate?: (r: Refunds) => Refunds,
  io: BulkIo = {},
) {
  const out = capture();
  const err = capture();
  const code = await runBulk(file, options, mockEnv(server), {
    ...io,
    out: out.stream,
    err: err.stream,
    ...(decorate === undefined ? {} : { decorate }),
  });
  return { code, out: out.text(), err: err.text() };
}

const HEADER = "provider,order_id,amount,currency,reason";
const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";

const refundsIn = () => server.orders.list().flatMap((order) => order.refunds);

describe("refundkit bulk: reading and validating the CSV", () => {
  it("reads quoted fields, a BOM and CRLF, and refunds the amounts exactly as typed", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    server.orders.seed({ provider: "optty", id: "op-1", amount: 5_000, currency: "AUD" });
    server.orders.seed({ provider: "moyasar", id: "my-1", amount: 5_000, currency: "KWD" });
    server.orders.seed({ provider: "moyasar", id: "my-2", amount: 5_000, currency: "JPY" });
    server.orders.seed({ provider: "levelup", id: "lu-1", amount: 1_500 });
    const file = csvFile(
      `\uFEFF${HEADER}\r\nsezzle,sz-1,24.98,USD,"Returned, with ""care"""\r\noptty,op-1,0.29,AUD,"two\r\nlines"\r\nmoyasar,my-1,1.250,KWD,\r\nmoyasar,my-2,500,JPY,\r\nlevelup,lu-1,,,\r\n`,
    );
    const run = await bulk(file);
    expect(run.err).not.toContain("invalid");
    expect(run.code).toBe(0);
    const amounts = (provider: string, id: string) =>
      server.orders.get(provider as "sezzle", id)?.refunds.map((refund) => refund.amount);
    expect(amounts("sezzle", "sz-1")).toEqual([2498]);
    expect(amounts("optty", "op-1")).toEqual([29]);
    expect(amounts("moyasar", "my-1")).toEqual([1250]);
    expect(amounts("moyasar", "my-2")).toEqual([500]);
    expect(amounts("levelup", "lu-1")).toEqual([1500]);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(
      results.map((row) => [row.row, row.status, row.amount_refunded_minor, row.amount_refunded]),
    ).toEqual([
      ["1", "succeeded", "2498", "24.98"],
      ["2", "succeeded", "29", "0.29"],
      ["3", "succeeded", "1250", "1.250"],
      ["4", "succeeded", "500", "500"],
      ["5", "succeeded", "1500", "15.00"],
    ]);
    expect(results[0]?.reason).toBe('Returned, with "care"');
    expect(results[1]?.reason).toBe("two\r\nlines");
    expect(run.out).toMatch(/sezzle\s+1\s+1/);
    expect(run.out).toMatch(/KWD\s+1\.250/);
  });

  it("--dry-run reports every bad row with its row number, field and why, and sends nothing", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    const file = csvFile(
      [
        HEADER,
        "sezzle,sz-1,24.98,USD,fine",
        "sezzle,sz-1,12.345,USD,three decimals",
        "moyasar,my-1,500.5,JPY,decimals on a yen",
        "moyasar,my-1,1.2505,KWD,four decimals on a dinar",
        "paypal,x-1,1.00,USD,unknown provider",
        "levelup,lu-1,5.00,USD,partial on levelup",
        "sezzle,sz-1,,USD,no amount",
        "optty,op-1,1.00,,no currency",
        "briqpay,not-a-uuid,1.00,SEK,bad session",
        "sezzle,../admin,1.00,USD,path",
        "sezzle,sz-1,1.00,usd,lower case",
        "sezzle,sz-1,1.00",
      ].join("\n"),
    );
    const run = await bulk(file, { dryRun: true });
    expect(run.code).toBe(2);
    const lines = run.err.trim().split("\n");
    expect(lines).toEqual([
      "row 2 (line 3), amount: amount 12.345 has more than 2 decimals, the most USD has (ISO 4217 exponent 2)",
      "row 3 (line 4), amount: amount 500.5 has decimals, but JPY has none (ISO 4217 exponent 0)",
      "row 4 (line 5), amount: amount 1.2505 has more than 3 decimals, the most KWD has (ISO 4217 exponent 3)",
      'row 5 (line 6), provider: unknown provider "paypal": one of sezzle, optty, levelup, moyasar, briqpay',
      "row 6 (line 7), amount: levelup refunds whole orders only: leave amount empty",
      "row 7 (line 8), amount: is empty, but sezzle has no full refund without an amount",
      "row 8 (line 9), currency: is required with an amount",
      "row 9 (line 10), order_id: must be the Briqpay session id, a UUID",
      expect.stringMatching(/^row 10 \(line 11\), order_id: order_id must be 1-255 characters/),
      'row 11 (line 12), currency: "usd" is not an ISO 4217 code (use upper case: USD)',
      "row 12 (line 13): has 3 fields, the header has 5",
    ]);
    expect(run.out).toContain("Dry run, nothing sent: 12 rows, 1 valid, 11 invalid.");
    expect(refundsIn()).toEqual([]);
    expect(existsSync(bulkPaths(file).journal)).toBe(false);
  });

  it("refuses to start with bad rows unless --skip-invalid, then refunds only the valid ones", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    const file = csvFile(`${HEADER}\nsezzle,sz-1,1.00,USD,ok\nsezzle,sz-1,1.001,USD,bad\n`);
    const refused = await bulk(file);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("row 2 (line 3), amount: amount 1.001 has more than 2 decimals");
    expect(refused.err).toContain("1 invalid row: nothing was sent");
    expect(refundsIn()).toEqual([]);

    const skipped = await bulk(file, { skipInvalid: true });
    expect(skipped.code).toBe(1); // not every row was refunded
    expect(refundsIn().map((refund) => refund.amount)).toEqual([100]);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results.map((row) => row.status)).toEqual(["succeeded", "invalid"]);
    expect(results[1]?.error_message).toContain("ISO 4217 exponent 2");
  });

  it("an unclosed quote is reported with its line; nothing is sent", async () => {
    const file = csvFile(
      `${HEADER}\nsezzle,sz-1,1.00,USD,ok\nsezzle,sz-2,1.00,USD,"never closed\nsezzle,sz-3,1.00,USD,x\n`,
    );
    const run = await bulk(file, { dryRun: true });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^row 2 \(line \d+\): Quote Not Closed/m);
    expect(refundsIn()).toEqual([]);
  });

  it.each([
    [
      "a quote never closed",
      `sezzle,sz-1,1.00,USD,ok\nsezzle,sz-2,1.00,USD,"never closed\nsezzle,sz-3,1.00,USD,x\nsezzle,sz-4,1.00,USD,y\n`,
      "row 2 (line 3): Quote Not Closed: a quoted field in this row is never closed",
    ],
    [
      "a quote inside a field",
      `sezzle,sz-1,1.00,USD,ok\nsezzle,sz-2,1.00,USD,"stray "quote" inside\nsezzle,sz-3,1.00,USD,x\n`,
      'row 2 (line 3), reason: Invalid Closing Quote: a quoted field goes on after its closing quote; a quote inside a quoted field is written twice ("")',
    ],
    [
      "a quote in the middle of a field not quoted",
      `sezzle,sz-1,1.00,USD,ok\nsezzle,sz-2,1.00,US"D,x\nsezzle,sz-3,1.00,USD,x\n`,
      'row 2 (line 3), currency: Invalid Opening Quote: a quote in the middle of a field that is not quoted (after "US"); quote the whole field and write the quote inside twice ("")',
    ],
    [
      "text after a quoted field's closing quote",
      `sezzle,sz-1,1.00,USD,"ok" then more\nsezzle,sz-2,1.00,USD,x\n`,
      "row 1 (line 2), reason: Invalid Closing Quote: a quoted field goes on after its closing quote",
    ],
  ])(
    "%s: the file is refused as a whole, --skip-invalid included, and no row is lost unreported",
    async (_, rows, problem) => {
      for (const id of ["sz-1", "sz-2", "sz-3", "sz-4"]) {
        server.orders.seed({ provider: "sezzle", id, amount: 5_000, currency: "USD" });
      }
      const file = csvFile(`${HEADER}\n${rows}`);
      // Before, csv-parse skipped the record and went on where it could: the valid rows the
      // broken field ran into were neither sent nor reported, and --skip-invalid sent the rest.
      for (const options of [{ dryRun: true }, { skipInvalid: true }, {}]) {
        const run = await bulk(file, options);
        expect(run.code).toBe(2);
        expect(run.err).toContain(problem);
        expect(run.err).toContain(
          "cannot be read as CSV, nor anything after it; nothing was sent. Fix its quoting (--skip-invalid skips invalid rows",
        );
        expect(refundsIn()).toEqual([]);
        expect(existsSync(bulkPaths(file).results)).toBe(false);
      }
    },
  );

  it("a wrong header is refused naming the missing and unknown columns (exit 2)", async () => {
    const file = csvFile("provider,order,amount,currency,reason\nsezzle,sz-1,1.00,USD,x\n");
    const run = await bulk(file);
    expect(run.code).toBe(2);
    expect(run.err).toContain("header (line 1): missing column order_id");
    expect(run.err).toContain('header (line 1): unknown column "order"');
    expect(run.err).toContain("nothing was sent");
  });

  it("two rows with the same idempotency key are refused", async () => {
    const file = csvFile(
      `${HEADER},idempotency_key\nsezzle,sz-1,1.00,USD,a,key-1\nsezzle,sz-2,1.00,USD,b,key-1\n`,
    );
    const run = await bulk(file, { dryRun: true });
    expect(run.code).toBe(2);
    expect(run.err).toContain("row 2 (line 3), idempotency_key: the same key as row 1");
  });

  it("--skip-invalid refunds neither a bad row nor one repeating another's key", async () => {
    for (const id of ["sz-1", "sz-2", "sz-3"]) {
      server.orders.seed({ provider: "sezzle", id, amount: 5_000, currency: "USD" });
    }
    const file = csvFile(
      `${HEADER},idempotency_key\nsezzle,sz-1,1.00,USD,a,key-1\nsezzle,sz-2,2.00,USD,b,key-1\nsezzle,sz-3,3.001,USD,c,\nsezzle,sz-3,3.00,USD,"d, quoted",\n`,
    );
    const refused = await bulk(file, {});
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("2 invalid rows: nothing was sent");
    const run = await bulk(file, { skipInvalid: true });
    expect(run.code).toBe(1);
    expect(refundsIn().map((refund) => [refund.amount, refund.idempotencyKey])).toEqual([
      [100, "key-1"],
      [300, expect.any(String)],
    ]);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results.map((row) => [row.row, row.status, row.reason, row.error_code])).toEqual([
      ["1", "succeeded", "a", ""],
      ["2", "invalid", "b", "invalid_row"],
      ["3", "invalid", "c", "invalid_row"],
      ["4", "succeeded", "d, quoted", ""],
    ]);
    expect(results[1]?.error_message).toBe(
      "idempotency_key: the same key as row 1: each row needs its own (or none)",
    );
    // A re-run sends nothing more and writes the same results.
    const written = readFileSync(bulkPaths(file).results, "utf8");
    const again = await bulk(file, { skipInvalid: true });
    expect(again.code).toBe(1);
    expect(refundsIn()).toHaveLength(2);
    expect(readFileSync(bulkPaths(file).results, "utf8")).toBe(written);
    // The file changed since: refused, nothing sent.
    writeFileSync(file, readFileSync(file, "utf8").replace("3.00,USD", "4.00,USD"));
    const changed = await bulk(file, { skipInvalid: true });
    expect(changed.code).toBe(2);
    expect(changed.err).toContain("row 4 (line 5) is not what the journal");
    expect(refundsIn()).toHaveLength(2);
  });

  it("--json prints one object per row and a summary; no credential anywhere", async () => {
    server.orders.seed({ provider: "moyasar", id: "my-1", amount: 5_000, currency: "SAR" });
    const file = csvFile(`${HEADER}\nmoyasar,my-1,10.00,SAR,x\nmoyasar,missing,1.00,SAR,y\n`);
    const run = await bulk(file, { json: true });
    expect(run.code).toBe(1);
    const lines = run.out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const rows = lines.filter((line) => line.type === "row");
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.row === 1)).toMatchObject({
      status: "succeeded",
      amount: 1000,
      amountTyped: "10.00",
    });
    expect(rows.find((row) => row.row === 2)).toMatchObject({
      status: "failed",
      errorCode: "not_found",
    });
    expect(lines.at(-1)).toMatchObject({ type: "summary", byStatus: { succeeded: 1, failed: 1 } });
    expect(rows.every((row) => row.earlierRun === false)).toBe(true);
    // A re-run sends nothing and still prints every row, from the journal.
    const again = await bulk(file, { json: true });
    const rowsAgain = again.out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.type === "row");
    expect(rowsAgain).toEqual(rows.map((row) => ({ ...row, earlierRun: true })));
    const everything =
      run.out +
      run.err +
      readFileSync(bulkPaths(file).results, "utf8") +
      readFileSync(bulkPaths(file).journal, "utf8");
    expect(everything).not.toContain(server.credentials.moyasar.apiKey);
  });

  it("a missing credential is refused before anything is sent, naming the variable", async () => {
    const file = csvFile(`${HEADER}\nmoyasar,my-1,10.00,SAR,x\n`);
    const err = capture();
    const code = await runBulk(
      file,
      {},
      { REFUNDKIT_MOYASAR_BASE_URL: server.baseUrls.moyasar },
      { err: err.stream, out: capture().stream },
    );
    expect(code).toBe(2);
    expect(err.text()).toContain("REFUNDKIT_MOYASAR_API_KEY");
  });
});

describe("refundkit bulk: sending", () => {
  it.each([
    ["sezzle", "sz-1", "USD"],
    ["optty", "op-1", "AUD"],
    ["moyasar", "my-1", "SAR"],
  ] as const)(
    "%s: rows of one order go in file order, so the earlier row is refunded whichever answer is slower",
    async (provider, id, currency) => {
      server.orders.seed({ provider, id, amount: 10_000, currency });
      server.orders.seed({ provider, id: `${id}-other`, amount: 10_000, currency });
      // Together more than the order holds: the first row fits, the second no longer does.
      const file = csvFile(
        `${HEADER}\n${provider},${id},60.00,${currency},first\n${provider},${id}-other,1.00,${currency},between\n${provider},${id},50.00,${currency},second\n`,
      );
      const decorate = (refunds: Refunds): Refunds =>
        Object.assign(Object.create(refunds) as Refunds, {
          capabilities: refunds.capabilities.bind(refunds),
          async refund(request: RefundRequest) {
            // The first row's request leaves last: sent side by side, the second row would take
            // the order's money first.
            if (request.amount === 6_000) await new Promise((done) => setTimeout(done, 150));
            return refunds.refund(request);
          },
        });
      const run = await bulk(file, {}, decorate);
      expect(run.code).toBe(1);
      expect(server.orders.get(provider, id)?.refunds.map((refund) => refund.amount)).toEqual([
        6_000,
      ]);
      const results = records(readFileSync(bulkPaths(file).results, "utf8"));
      expect(results.map((row) => [row.row, row.status, row.error_code])).toEqual([
        ["1", "succeeded", ""],
        ["2", "succeeded", ""],
        ["3", "failed", "amount_exceeds_refundable"],
      ]);
    },
  );

  it("a provider answering 429 is slowed down and its rows still go through once", async () => {
    for (let index = 0; index < 6; index++) {
      server.orders.seed({
        provider: "moyasar",
        id: `my-${index}`,
        amount: 5_000,
        currency: "SAR",
      });
      server.orders.seed({ provider: "sezzle", id: `sz-${index}`, amount: 5_000, currency: "USD" });
    }
    // More 429s than the facade's own retries, each asking for a short wait.
    server.faults.inject({
      provider: "moyasar",
      kind: "rate_limit",
      count: 6,
      retryAfterSeconds: 0,
    });
    const lines = [HEADER];
    for (let index = 0; index < 6; index++) {
      lines.push(`moyasar,my-${index},1.00,SAR,x`, `sezzle,sz-${index},1.00,USD,x`);
    }
    const run = await bulk(csvFile(lines.join("\n")), { maxRetries: "0" });
    expect(run.code).toBe(0);
    for (const order of server.orders.list()) expect(order.refunds).toHaveLength(1);
  }, 30_000);

  it("a send record written ahead is written again when its row waits longer than 2 s for its turn", async () => {
    const rows = 12;
    const lines = [HEADER];
    for (let index = 0; index < rows; index++) {
      // One at a time, 400 ms each: the last rows wait about 4 s after the batch that holds
      // their first send record.
      lines.push(briqpayRow(server, index, 400).line);
    }
    const file = csvFile(`${lines.join("\n")}\n`);
    const run = await bulk(file, { concurrency: "1" });
    expect(run.code).toBe(0);
    const journal = readFileSync(bulkPaths(file).journal, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; order?: string; at: string });
    for (const order of server.orders.list()) {
      const sends = journal.filter((line) => line.kind === "send" && line.order === order.id);
      const refund = order.refunds[0];
      expect(order.refunds, order.id).toHaveLength(1);
      // The last send record before the request: never after it, and at most 2 s (plus the
      // provider's 400 ms and some slack for a loaded machine) before the refund was made.
      const last = Date.parse(sends.at(-1)?.at ?? "");
      const made = Date.parse(refund?.createdAt ?? "");
      expect(last, order.id).toBeLessThanOrEqual(made);
      expect(made - last, order.id).toBeLessThan(2_000 + 400 + 1_000);
    }
    // The later rows got a second send record.
    expect(journal.filter((line) => line.kind === "send").length).toBeGreaterThan(rows);
  }, 30_000);

  // The results are written while rows are sent, in input order; a row answered late holds the
  // rows after it, up to `resultsWindow` of them, and a last pass writes the rest.
  for (const resultsWindow of [undefined, 3]) {
    it(`every row in the results in input order when an early row is answered last (window ${resultsWindow ?? "default"})`, async () => {
      const lines = [HEADER];
      for (let index = 0; index < 24; index++) {
        server.orders.seed({
          provider: "sezzle",
          id: `sz-${index}`,
          amount: 5_000,
          currency: "USD",
        });
        lines.push(index === 5 ? "sezzle,sz-5,0.001,USD,bad" : `sezzle,sz-${index},1.00,USD,x`);
      }
      const file = csvFile(`${lines.join("\n")}\n`);
      const answered: string[] = [];
      const decorate = (refunds: Refunds): Refunds =>
        Object.assign(Object.create(refunds) as Refunds, {
          capabilities: refunds.capabilities.bind(refunds),
          async refund(request: RefundRequest) {
            // The first row is answered after every other one.
            if (request.orderId === "sz-0") await new Promise((done) => setTimeout(done, 300));
            const result = await refunds.refund(request);
            answered.push(request.orderId);
            return result;
          },
        });
      const io = resultsWindow === undefined ? {} : { resultsWindow };
      const run = await bulk(file, { skipInvalid: true }, decorate, io);
      expect(run.code).toBe(1);
      expect(answered.at(-1)).toBe("sz-0");
      const results = records(readFileSync(bulkPaths(file).results, "utf8"));
      expect(results.map((row) => [row.row, row.order_id, row.status])).toEqual(
        Array.from({ length: 24 }, (_, index) => [
          String(index + 1),
          `sz-${index}`,
          index === 5 ? "invalid" : "succeeded",
        ]),
      );
      expect(run.out).toMatch(/^total\s+23\s+1\s+24$/m);
      expect(refundsIn()).toHaveLength(23);
      expect(existsSync(`${bulkPaths(file).results}.partial`)).toBe(false);
    });
  }

  it("a re-run skips finished rows and sends nothing twice", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    const file = csvFile(`${HEADER}\nsezzle,sz-1,1.00,USD,x\n`);
    expect((await bulk(file)).code).toBe(0);
    expect((await bulk(file)).code).toBe(0);
    expect(refundsIn()).toHaveLength(1);
    expect(records(readFileSync(bulkPaths(file).results, "utf8"))[0]?.status).toBe("succeeded");
  });

  it("a re-run says how many rows it skipped as finished, and its progress counts the earlier failures as the summary does", async () => {
    server.orders.seed({ provider: "moyasar", id: "my-1", amount: 5_000, currency: "SAR" });
    const file = csvFile(`${HEADER}\nmoyasar,my-1,10.00,SAR,x\nmoyasar,missing,1.00,SAR,y\n`);
    const first = await bulk(file);
    expect(first.code).toBe(1);
    expect(first.err).not.toContain("earlier run");
    const again = await bulk(file);
    expect(again.code).toBe(1);
    expect(again.err).toContain(
      "journal: 2 of 2 rows finished in an earlier run (1 of them failed for good); skipping them",
    );
    expect(again.err).toMatch(/^bulk: 2\/2 rows, \d+\/s, 1 failed, ETA/m);
    expect(again.out).toMatch(/^total\s+1\s+1\s+2$/m);
    expect(refundsIn()).toHaveLength(1);
    const json = await bulk(file, { json: true });
    const summary = JSON.parse(json.out.trim().split("\n").at(-1) ?? "{}") as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ type: "summary", finishedBefore: 2, byStatus: { failed: 1 } });
  });

  it("a journal line cut short by a crash is skipped; the row's key is reused", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    const file = csvFile(`${HEADER}\nsezzle,sz-1,1.00,USD,x\n`);
    const key = "key-from-the-first-run";
    writeFileSync(
      bulkPaths(file).journal,
      `${JSON.stringify({ kind: "key", row: 1, provider: "sezzle", order: "sz-1", amount: 100, currency: "USD", key, at: "2026-01-01T00:00:00Z" })}\n{"kind":"outcome","row":1,"sta`,
    );
    const run = await bulk(file);
    expect(run.code).toBe(0);
    expect(run.err).toContain("ignored 1 line(s) cut short by a crash");
    expect(run.err).toContain(
      "journal: 1 row without an outcome from an earlier run (records are written ahead of the requests, so some may never have been sent): 1 sent again with the idempotency key recorded for them, 0 first reconciled with the provider",
    );
    expect(refundsIn().map((refund) => refund.idempotencyKey)).toEqual([key]);
    const lines = readFileSync(bulkPaths(file).journal, "utf8").trim().split("\n");
    expect(() => lines.slice(2).map((line) => JSON.parse(line))).not.toThrow();
  });

  it("refuses to resume when the file changed under the journal", async () => {
    server.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5_000, currency: "USD" });
    const file = csvFile(`${HEADER}\nsezzle,sz-1,1.00,USD,x\n`);
    expect((await bulk(file)).code).toBe(0);
    writeFileSync(file, `${HEADER}\nsezzle,sz-1,2.00,USD,x\n`);
    const run = await bulk(file);
    expect(run.code).toBe(2);
    expect(run.err).toContain("the file changed since the last run");
    expect(refundsIn()).toHaveLength(1);
  });
});

/** A journal as a run killed right after writing a row's `send` record leaves it. */
function inFlightJournal(
  file: string,
  rows: {
    row: number;
    provider: string;
    order: string;
    amount: number | null;
    currency: string | null;
  }[],
) {
  const lines = rows.map((row) =>
    JSON.stringify({ kind: "send", ...row, key: null, at: new Date().toISOString() }),
  );
  writeFileSync(bulkPaths(file).journal, `${lines.join("\n")}\n`);
}

describe("refundkit bulk: LevelUp and Briqpay rows in flight (no idempotency handle)", () => {
  const setUp = () => {
    server.orders.seed({ provider: "levelup", id: "lu-landed", amount: 1_500 });
    server.orders.seed({ provider: "levelup", id: "lu-lost", amount: 1_500 });
    server.orders.seed({
      provider: "briqpay",
      id: SESSION,
      amount: 3_000,
      currency: "SEK",
      settleAfterMs: 0,
    });
    const file = csvFile(
      `${HEADER}\nlevelup,lu-landed,,,\nlevelup,lu-lost,,,\nbriqpay,${SESSION},10.00,SEK,Adjustment\n`,
    );
    inFlightJournal(file, [
      { row: 1, provider: "levelup", order: "lu-landed", amount: null, currency: null },
      { row: 2, provider: "levelup", order: "lu-lost", amount: null, currency: null },
      { row: 3, provider: "briqpay", order: SESSION, amount: 1000, currency: "SEK" },
    ]);
    return file;
  };

  it("are never re-sent blindly: without refunds.reconcile they are reported as needs_review", async () => {
    const file = setUp();
    // The first run's request for lu-landed reached LevelUp before the crash.
    const landed = await bulkRefundDirect("levelup", "lu-landed");
    expect(landed).toBe(1);
    // A facade without reconcile (as before refunds.reconcile existed).
    const withoutReconcile = (refunds: Refunds): Refunds =>
      Object.assign(Object.create(refunds) as Refunds, {
        refund: refunds.refund.bind(refunds),
        capabilities: refunds.capabilities.bind(refunds),
        reconcile: undefined,
      });
    const run = await bulk(file, {}, withoutReconcile);
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "journal: 3 rows without an outcome from an earlier run (records are written ahead of the requests, so some may never have been sent): 0 sent again with the idempotency key recorded for them, 3 first reconciled with the provider",
    );
    // Nothing new was sent: lu-landed keeps its one refund, the others have none.
    expect(server.orders.get("levelup", "lu-landed")?.refunds).toHaveLength(1);
    expect(server.orders.get("levelup", "lu-lost")?.refunds).toHaveLength(0);
    expect(server.orders.get("briqpay", SESSION)?.refunds).toHaveLength(0);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results.map((row) => row.status)).toEqual([
      "needs_review",
      "needs_review",
      "needs_review",
    ]);
    expect(results[0]?.error_message).toContain("it was not sent again");
    expect(run.out).toMatch(/needs_review/);
  });

  it("go through refunds.reconcile when the facade has it: refunded ones are recorded, the others sent once", async () => {
    const file = setUp();
    await bulkRefundDirect("levelup", "lu-landed");
    const asked: string[] = [];
    // What reconcile answers (the facade contract), here read from the mock's ledger.
    const decorate = (refunds: Refunds): Refunds =>
      Object.assign(Object.create(refunds) as Refunds, {
        refund: refunds.refund.bind(refunds),
        capabilities: refunds.capabilities.bind(refunds),
        async reconcile(request: RefundRequest) {
          asked.push(request.orderId);
          const order = server.orders.get(request.provider, request.orderId);
          const refund = order?.refunds[0];
          if (refund === undefined) return { refunded: false };
          return {
            refunded: true,
            refund: {
              provider: request.provider,
              orderId: request.orderId,
              status: "succeeded",
              refundId: refund.id,
              amount: refund.amount,
              currency: refund.currency,
              idempotencyKey: null,
              raw: refund,
            },
          };
        },
      });
    const run = await bulk(file, {}, decorate);
    expect(asked.sort()).toEqual(["c5674f4f-7e84-405c-a44b-c83736bb7209", "lu-landed", "lu-lost"]);
    expect(run.code).toBe(0);
    for (const order of server.orders.list()) expect(order.refunds).toHaveLength(1);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results.map((row) => row.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("the facade's own reconcile (reading LevelUp and Briqpay back): the landed row is recorded, the others sent once", async () => {
    const file = setUp();
    await bulkRefundDirect("levelup", "lu-landed");
    const out = capture();
    const err = capture();
    const code = await runBulk(
      file,
      {},
      { ...mockEnv(server), REFUNDKIT_LEVELUP_MERCHANT_ID: "3225" },
      { out: out.stream, err: err.stream },
    );
    expect(code).toBe(0);
    for (const order of server.orders.list()) expect(order.refunds).toHaveLength(1);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results.map((row) => row.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("a reconcile that cannot tell leaves the row for review, unsent", async () => {
    const file = setUp();
    const decorate = (refunds: Refunds): Refunds =>
      Object.assign(Object.create(refunds) as Refunds, {
        refund: refunds.refund.bind(refunds),
        capabilities: refunds.capabilities.bind(refunds),
        reconcile: async () => ({ refunded: "unknown", reason: "the provider's lookup timed out" }),
      });
    const run = await bulk(file, {}, decorate);
    expect(run.code).toBe(1);
    expect(refundsIn()).toHaveLength(0);
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results[0]?.error_message).toContain("the provider's lookup timed out");
  });
});

/** Refunds an order directly over HTTP (as the killed run's request would have). */
async function bulkRefundDirect(provider: "levelup", orderId: string): Promise<number> {
  const response = await fetch(`${server.baseUrls.levelup}/v14/orders/${orderId}/refund`, {
    method: "POST",
    headers: {
      authorization: `token ${server.credentials.levelup.token}`,
      "content-type": "application/json",
      accept: "application/json",
    },
    body: JSON.stringify({ refund: {} }),
  });
  expect(response.status).toBeLessThan(300);
  return server.orders.get(provider, orderId)?.refunds.length ?? 0;
}
