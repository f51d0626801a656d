import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { MockServer } from "@refundkit/mock";
import { parse } from "csv-parse/sync";
import { MOCK_LEVELUP_MERCHANT_ID } from "../src/demo.js";

/** A writable that keeps what is written, posing as a (non-TTY) process stream. */
export function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

/** A new temporary directory with `name` holding `content`; returns the file's path. */
export function csvFile(content: string, name = "refunds.csv"): string {
  const dir = mkdtempSync(join(tmpdir(), "refundkit-bulk-"));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The REFUNDKIT_* variables that point the CLI at a mock server (what `refundkit mock` prints). */
export function mockEnv(server: MockServer): Record<string, string> {
  const { baseUrls, credentials } = server;
  return {
    REFUNDKIT_SEZZLE_BASE_URL: baseUrls.sezzle,
    REFUNDKIT_SEZZLE_PUBLIC_KEY: credentials.sezzle.publicKey,
    REFUNDKIT_SEZZLE_PRIVATE_KEY: credentials.sezzle.privateKey,
    REFUNDKIT_OPTTY_BASE_URL: baseUrls.optty,
    REFUNDKIT_OPTTY_CLIENT_ID: credentials.optty.clientId,
    REFUNDKIT_OPTTY_CLIENT_SECRET: credentials.optty.clientSecret,
    REFUNDKIT_LEVELUP_BASE_URL: baseUrls.levelup,
    REFUNDKIT_LEVELUP_TOKEN: credentials.levelup.token,
    // LevelUp's order lookup (reconciling a row left in flight) is per merchant.
    REFUNDKIT_LEVELUP_MERCHANT_ID: String(MOCK_LEVELUP_MERCHANT_ID),
    REFUNDKIT_MOYASAR_BASE_URL: baseUrls.moyasar,
    REFUNDKIT_MOYASAR_API_KEY: credentials.moyasar.apiKey,
    REFUNDKIT_BRIQPAY_BASE_URL: baseUrls.briqpay,
    REFUNDKIT_BRIQPAY_USERNAME: credentials.briqpay.username,
    REFUNDKIT_BRIQPAY_SECRET: credentials.briqpay.secret,
  };
}

/** Parses a results CSV into records (csv-parse, the same library the CLI reads with). */
export function records(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

/** A seeded order and its CSV row (header `provider,order_id,amount,currency,reason`). */
export interface SeededRow {
  provider: "levelup" | "briqpay";
  id: string;
  line: string;
}

/**
 * Seeds a Briqpay session of 30.00 SEK, settled at once, whose refunds take `processingMs` at the
 * provider; its row refunds 10.00 SEK.
 */
export function briqpayRow(server: MockServer, index: number, processingMs: number): SeededRow {
  const id = randomUUID();
  server.orders.seed({
    provider: "briqpay",
    id,
    amount: 3_000,
    currency: "SEK",
    settleAfterMs: 0,
    processingMs,
  });
  return { provider: "briqpay", id, line: `briqpay,${id},10.00,SEK,row ${index + 1}` };
}

/** Seeds a LevelUp order of 15.00 whose refund takes `processingMs`; its row is a full refund. */
export function levelupRow(server: MockServer, index: number, processingMs: number): SeededRow {
  const id = randomUUID().replaceAll("-", "");
  server.orders.seed({ provider: "levelup", id, amount: 1_500, processingMs });
  return { provider: "levelup", id, line: `levelup,${id},,,row ${index + 1}` };
}

/** `count` rows alternating LevelUp (even indexes) and Briqpay (odd), seeded on `server`. */
export function levelupAndBriqpayRows(
  server: MockServer,
  count: number,
  processingMs: number,
): SeededRow[] {
  return Array.from({ length: count }, (_, index) =>
    index % 2 === 0
      ? levelupRow(server, index, processingMs)
      : briqpayRow(server, index, processingMs),
  );
}

/** A CSV file (the bulk header, then each seeded row's line) in a new temporary directory. */
export function seededCsv(rows: readonly SeededRow[]): string {
  const header = "provider,order_id,amount,currency,reason";
  return csvFile(`${[header, ...rows.map((row) => row.line)].join("\n")}\n`);
}
