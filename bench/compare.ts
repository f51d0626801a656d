/**
 * refundkit's own cost, measured side by side with what it wraps, in one process, against the
 * built packages (`pnpm bench` builds first). Each comparison runs A and B in interleaved rounds
 * (A B, then B A, ...) after a warm-up, and reports B/A per round as min / median / max, so
 * load from other processes on the machine moves both sides alike. Absolute figures move with
 * that load; the ratios are what the targets are about.
 *
 * 1. CPU per call with a fetch that answers from memory: `refunds.refund()` (Sezzle, cached
 *    token) against bare openapi-fetch sending the same request and reading the JSON.
 * 2. Throughput against a local keep-alive HTTP server (another process), 8 requests in flight:
 *    `refunds.refund()` (its default transport: node:http keep-alive on Node) against raw `fetch`
 *    sending the same request and reading the JSON. References: bare openapi-fetch over `fetch`,
 *    and `refund()` given `fetch: globalThis.fetch` (undici).
 * 3. A bad input refused before any request: time per call.
 * 4. Memory: heap growth per 10,000 settled refunds after a full GC, and the abort listeners
 *    left on a long-lived caller signal passed to every refund.
 *
 * Run: `node --expose-gc --import tsx bench/compare.ts` (or `pnpm bench`). `--quick` for fewer
 * rounds. Exits 1 when a target is missed.
 */
import { getEventListeners } from "node:events";
import {
  bareRefund,
  createClient,
  createRefunds,
  memoryFetch,
  ORDER,
  rawRefund,
  startServer,
} from "./sezzle-reference.js";

const quick = process.argv.includes("--quick");
/** `--only=cpu,throughput,bad,memory`: run some comparisons only. */
const only = process.argv
  .find((arg) => arg.startsWith("--only="))
  ?.slice(7)
  .split(",");
const runs = (name: string) => only === undefined || only.includes(name);

interface Stats {
  min: number;
  median: number;
  max: number;
}
const stats = (values: number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? Number.NaN,
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
};
const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/** Interleaved rounds of `a` and `b` (`n` calls each); returns per-call measures of each side. */
async function interleave(
  rounds: number,
  n: number,
  a: (n: number) => Promise<number>,
  b: (n: number) => Promise<number>,
): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  await a(Math.ceil(n / 2));
  await b(Math.ceil(n / 2));
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let ma: number;
    let mb: number;
    if (round % 2 === 0) {
      ma = await a(n);
      mb = await b(n);
    } else {
      mb = await b(n);
      ma = await a(n);
    }
    as.push(ma);
    bs.push(mb);
    ratios.push(mb / ma);
  }
  return { a: as, b: bs, ratios };
}

const rows: string[] = [];
let missed = 0;
function report(what: string, target: string, value: Stats, ok: boolean, unit = "x") {
  const f = (v: number) => (unit === "x" ? v.toFixed(2) : v.toFixed(unit === "B" ? 0 : 2));
  rows.push(
    `| ${what} | ${target} | ${f(value.min)} / **${f(value.median)}** / ${f(value.max)} ${unit} | ${ok ? "yes" : "**no**"} |`,
  );
  if (!ok) missed += 1;
}

// 1. CPU per call, in-memory fetch -------------------------------------------------------------
if (runs("cpu")) {
  const bare = createClient({
    baseUrl: "https://sezzle.test",
    fetch: memoryFetch,
  });
  const refunds = createRefunds(
    { sezzle: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" } },
    { fetch: memoryFetch },
  );
  let key = 0;
  const bareLoop = async (n: number) => {
    const start = cpuMicros();
    for (let i = 0; i < n; i++) {
      await bareRefund(bare, `k-${++key}`);
    }
    return (cpuMicros() - start) / n;
  };
  const facadeLoop = async (n: number) => {
    const start = cpuMicros();
    for (let i = 0; i < n; i++) {
      await refunds.refund({ provider: "sezzle", orderId: ORDER, amount: 2500, currency: "USD" });
    }
    return (cpuMicros() - start) / n;
  };
  const { a, b, ratios } = await interleave(
    quick ? 5 : 11,
    quick ? 2_000 : 5_000,
    bareLoop,
    facadeLoop,
  );
  console.log(
    `cpu/call bare openapi-fetch ${stats(a).median.toFixed(1)} us, refund() ${stats(b).median.toFixed(1)} us`,
  );
  report(
    "`refund()` CPU per call / bare openapi-fetch, in-memory fetch",
    "<= 1.5x",
    stats(ratios),
    stats(ratios).median <= 1.5,
  );
  rows.push(
    `| (absolute, median) bare openapi-fetch / refund() | | ${stats(a).median.toFixed(1)} us / ${stats(b).median.toFixed(1)} us | |`,
  );
}

// 2. Throughput against a local keep-alive server ------------------------------------------------
if (runs("throughput")) {
  const server = await startServer();
  const base = server.baseUrl;
  const refunds = createRefunds({ sezzle: { baseUrl: base, publicKey: "pk", privateKey: "sk" } });
  let key = 0;
  const inFlight = 8;
  // This process's CPU per request on each side (with 2 cores shared with the server process,
  // the client's CPU per request is what decides the ratio).
  const cpuPerRequest = { raw: [] as number[], facade: [] as number[] };
  const run = (send: () => Promise<unknown>, cpuOf: number[]) => async (n: number) => {
    let next = 0;
    const start = performance.now();
    const cpuStart = cpuMicros();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < n) {
          next += 1;
          await send();
        }
      }),
    );
    const perSecond = n / ((performance.now() - start) / 1000);
    cpuOf.push((cpuMicros() - cpuStart) / n);
    return perSecond;
  };
  const raw = run(() => rawRefund(base, `k-${++key}`), cpuPerRequest.raw);
  const facade = run(
    () => refunds.refund({ provider: "sezzle", orderId: ORDER, amount: 2500, currency: "USD" }),
    cpuPerRequest.facade,
  );
  const { a, b, ratios } = await interleave(quick ? 5 : 9, quick ? 1_000 : 3_000, raw, facade);
  // The reference floor of any openapi-fetch client: bare openapi-fetch sending the same request
  // (it builds one Request, which `fetch` copies, body included) against raw fetch.
  const bareClient = createClient({ baseUrl: base, fetch: (...args) => fetch(...args) });
  const bareSide = run(() => bareRefund(bareClient, `k-${++key}`), []);
  const reference = await interleave(quick ? 3 : 5, quick ? 1_000 : 3_000, raw, bareSide);
  // refund() sending with Node's fetch (undici) instead of core's default node:http transport:
  // what a user who passes `fetch: globalThis.fetch` (a proxy dispatcher) gets.
  const overFetch = createRefunds(
    { sezzle: { baseUrl: base, publicKey: "pk", privateKey: "sk" } },
    { fetch: (...args) => fetch(...args) },
  );
  const undiciCpu: number[] = [];
  const overFetchSide = run(
    () => overFetch.refund({ provider: "sezzle", orderId: ORDER, amount: 2500, currency: "USD" }),
    undiciCpu,
  );
  const viaFetch = await interleave(quick ? 3 : 5, quick ? 1_000 : 3_000, raw, overFetchSide);
  server.stop();
  console.log(
    `throughput raw fetch ${stats(a).median.toFixed(0)}/s, refund() ${stats(b).median.toFixed(0)}/s`,
  );
  report(
    "`refund()` throughput / raw fetch, local keep-alive server, 8 in flight",
    ">= 0.95x",
    stats(ratios),
    stats(ratios).median >= 0.95,
  );
  rows.push(
    `| (absolute, median) raw fetch / refund() | | ${stats(a).median.toFixed(0)} / ${stats(b).median.toFixed(0)} req/s | |`,
  );
  rows.push(
    `| (client CPU per request, median) raw fetch / refund() | | ${stats(cpuPerRequest.raw).median.toFixed(1)} us / ${stats(cpuPerRequest.facade).median.toFixed(1)} us | |`,
  );
  const refRatios = stats(reference.ratios);
  rows.push(
    `| (reference) bare openapi-fetch throughput / raw fetch, same server | | ${refRatios.min.toFixed(2)} / **${refRatios.median.toFixed(2)}** / ${refRatios.max.toFixed(2)} x | |`,
  );
  const viaRatios = stats(viaFetch.ratios);
  rows.push(
    `| (reference) refund() with \`fetch: globalThis.fetch\` throughput / raw fetch; its client CPU per request | | ${viaRatios.min.toFixed(2)} / **${viaRatios.median.toFixed(2)}** / ${viaRatios.max.toFixed(2)} x; ${stats(undiciCpu).median.toFixed(1)} us | |`,
  );
}

// 3. Bad input refused ---------------------------------------------------------------------------
if (runs("bad")) {
  const refunds = createRefunds(
    { sezzle: { baseUrl: "https://sezzle.test", token: "tok" } },
    { fetch: memoryFetch },
  );
  const refused = async (n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      await refunds
        .refund({ provider: "sezzle", orderId: "../admin", amount: 1, currency: "USD" })
        .catch(() => undefined);
    }
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  // The floor on this machine now: an async function that throws a new Error, caught.
  const floor = async (n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      await (async () => {
        throw new RangeError("orderId is not a valid id");
      })().catch(() => undefined);
    }
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  const { a: floors, b: times, ratios } = await interleave(quick ? 5 : 9, 20_000, floor, refused);
  rows.push(
    `| (reference) an async throw of a new Error, caught; refusal / that | | ${stats(floors).median.toFixed(2)} us; ${stats(ratios).min.toFixed(2)} / **${stats(ratios).median.toFixed(2)}** / ${stats(ratios).max.toFixed(2)} x | |`,
  );
  report(
    "bad input refused before any request, per call",
    "< 2 us",
    stats(times),
    stats(times).median < 2,
    "us",
  );
}

// 4. Memory per 10,000 refunds -------------------------------------------------------------------
if (runs("memory")) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    rows.push("| memory per 10,000 refunds | | (run with --expose-gc) | |");
  } else {
    const refunds = createRefunds(
      { sezzle: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" } },
      { fetch: memoryFetch, timeoutMs: 500 },
    );
    const shutdown = new AbortController();
    const refundsOf = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await refunds.refund({
          provider: "sezzle",
          orderId: ORDER,
          amount: 2500,
          currency: "USD",
          signal: shutdown.signal,
        });
      }
    };
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return process.memoryUsage().heapUsed;
    };
    await refundsOf(5_000);
    const listenersBefore = getEventListeners(shutdown.signal, "abort").length;
    const growth: number[] = [];
    for (let round = 0; round < (quick ? 2 : 3); round++) {
      const before = await settle();
      await refundsOf(10_000);
      growth.push((await settle()) - before);
    }
    const listenersAfter = getEventListeners(shutdown.signal, "abort").length;
    report(
      "heap growth per 10,000 refunds after GC (bytes)",
      "flat",
      stats(growth),
      stats(growth).median / 10_000 < 300,
      "B",
    );
    rows.push(
      `| abort listeners on a long-lived caller signal, before / after | equal | ${listenersBefore} / ${listenersAfter} | ${listenersBefore === listenersAfter ? "yes" : "**no**"} |`,
    );
    if (listenersBefore !== listenersAfter) missed += 1;
  }
}

console.log(`\nNode.js ${process.version}, ${process.platform} ${process.arch}\n`);
console.log("| comparison | target | min / **median** / max | met |");
console.log("| --- | --- | --- | --- |");
console.log(rows.join("\n"));
process.exitCode = missed === 0 ? 0 : 1;
