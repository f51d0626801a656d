/**
 * `refundkit bulk`'s own CPU per row, without the refunds: `runBulk` (the built CLI package) on a
 * 10,000-row file of the five providers, with a facade whose `refund()` answers after a timer
 * (`--delay-ms`, default 4: 8 in flight then allow 2,000 rows/s) instead of going over HTTP. What
 * is left is the run's own work: three streamed reads of the CSV (validate, send, results), the
 * journal and its fsyncs, the scheduler, progress and the results CSV. The refund path itself is
 * measured by `bench/bulk.ts` (end to end) and `bench/compare.ts`.
 *
 * Run: `tsx bench/bulk-overhead.ts` after a build. `--rows N` (default 10000), `--runs N`
 * (default 3; the first pays for loading and the JIT, as a real run does), `--dist DIR` (another
 * build of packages/cli, to compare two side by side).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { RefundRequest, RefundResult, Refunds } from "refundkit";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
    "delay-ms": { type: "string", default: "4" },
    dist: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const DELAY_MS = Number(values["delay-ms"]);
const dist =
  values.dist === undefined
    ? fileURLToPath(new URL("../packages/cli/dist", import.meta.url))
    : resolve(values.dist);
const { runBulk } = (await import(pathToFileURL(join(dist, "index.mjs")).href)) as {
  runBulk: typeof import("../packages/cli/src/index.js").runBulk;
};

const PROVIDERS = [
  ["sezzle", "USD", "24.98"],
  ["optty", "AUD", "10.00"],
  ["moyasar", "SAR", "100.50"],
  ["levelup", "USD", ""],
  ["briqpay", "SEK", "10.00"],
] as const;
// Well-formed settings for every provider; nothing is sent to these URLs.
const url = "http://127.0.0.1:9";
const env = {
  REFUNDKIT_SEZZLE_BASE_URL: url,
  REFUNDKIT_SEZZLE_PUBLIC_KEY: "public",
  REFUNDKIT_SEZZLE_PRIVATE_KEY: "private",
  REFUNDKIT_OPTTY_BASE_URL: url,
  REFUNDKIT_OPTTY_CLIENT_ID: "client",
  REFUNDKIT_OPTTY_CLIENT_SECRET: "secret",
  REFUNDKIT_LEVELUP_BASE_URL: url,
  REFUNDKIT_LEVELUP_TOKEN: "token",
  REFUNDKIT_LEVELUP_MERCHANT_ID: "1",
  REFUNDKIT_MOYASAR_BASE_URL: url,
  REFUNDKIT_MOYASAR_API_KEY: "sk_test_bench",
  REFUNDKIT_BRIQPAY_BASE_URL: url,
  REFUNDKIT_BRIQPAY_USERNAME: "user",
  REFUNDKIT_BRIQPAY_SECRET: "secret",
};
const sink = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  }) as unknown as NodeJS.WriteStream;

let refunded = 0;
/** The facade with `refund()` answering a success after DELAY_MS, as a provider would. */
const decorate = (refunds: Refunds): Refunds =>
  Object.assign(Object.create(refunds) as Refunds, {
    capabilities: refunds.capabilities.bind(refunds),
    async refund(request: RefundRequest): Promise<RefundResult> {
      await new Promise((done) => setTimeout(done, DELAY_MS));
      refunded++;
      return {
        provider: request.provider,
        orderId: request.orderId,
        status: "succeeded",
        refundId: `refund-${refunded}`,
        amount: request.amount ?? 1500,
        currency: request.currency ?? "USD",
        idempotencyKey: request.idempotencyKey ?? null,
        raw: null,
      } as RefundResult;
    },
  });

const perRow: string[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const dir = mkdtempSync(join(tmpdir(), "refundkit-bulk-overhead-"));
  const file = join(dir, "refunds.csv");
  let text = "provider,order_id,amount,currency,reason\n";
  for (let index = 0; index < ROWS; index++) {
    const [provider, currency, amount] = PROVIDERS[
      index % PROVIDERS.length
    ] as (typeof PROVIDERS)[number];
    const id =
      provider === "optty"
        ? `op-${randomUUID()}`
        : provider === "levelup"
          ? randomUUID().replaceAll("-", "")
          : randomUUID();
    text += `${provider},${id},${amount},${amount === "" ? "" : currency},Bench row ${index + 1}\n`;
  }
  writeFileSync(file, text);
  const before = process.cpuUsage();
  const started = performance.now();
  const code = await runBulk(file, { concurrency: "8" }, env, {
    out: sink(),
    err: sink(),
    decorate,
  });
  const used = process.cpuUsage(before);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`runBulk exited ${code}`);
  perRow.push(
    `${((used.user + used.system) / ROWS).toFixed(0)} us (${Math.round(ROWS / seconds)} rows/s)`,
  );
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `refundkit bulk's own CPU per row (${ROWS} rows, refunds answered after ${DELAY_MS} ms, ${dist}): ${perRow.join(", ")}`,
);
