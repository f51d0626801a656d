/**
 * `refundkit bulk` end to end, as a person runs it: the built CLI against `refundkit mock` in
 * another process. 10,000 rows (all five providers) must go at >= 2,000 refunds/s with a peak
 * RSS under 150 MB; a 1,000,000-row `--dry-run` must stay under 200 MB. Also checks the outcome:
 * the mock's ledger has exactly one refund on every order and the results CSV has every row.
 *
 * Run: `npx -y pnpm@10.34.9 bench` (or `tsx bench/bulk.ts` after a build). Options:
 * `--rows N` (default 10000), `--dry-rows N` (default 1000000), `--concurrency N` (default 8),
 * `--cpu-prof DIR` (both processes run under `node --cpu-prof`, profiles written to DIR),
 * `--bin PATH` (the CLI to run, default the built packages/cli/dist/bin.mjs: to compare two builds
 * side by side on a machine whose load moves), `--mock-bin PATH` (the same for `refundkit mock`).
 * `BULK_NODE_OPTIONS` in the environment is given to the `refundkit bulk` process as NODE_OPTIONS
 * (e.g. `--max-semi-space-size=4` to see the young generation's share of its peak RSS).
 *
 * Besides the wall time it prints the CPU time (user + system) each process spent on the run, per
 * refund, and how much of the run each process was busy (CPU time over wall time; the rest is
 * idle: waiting for the other process, the disk, or a core on a loaded machine), and, measured
 * just before, the CPU time of one bare node:http keep-alive round trip
 * (client and server, each in its own process, 8 in flight, a refund-sized JSON body each way).
 * On a shared machine every absolute figure moves with the other load; the ratios to that round
 * trip say where the floor is: at 2,000 refunds/s on 2 cores each process has 1,000 us of CPU a
 * refund at the very most (500 us if both processes are to keep up on the same two cores).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    "dry-rows": { type: "string", default: "1000000" },
    concurrency: { type: "string", default: "8" },
    "cpu-prof": { type: "string" },
    bin: { type: "string" },
    "mock-bin": { type: "string" },
  },
});
const ROWS = Number(values.rows);
const DRY_ROWS = Number(values["dry-rows"]);
const bin = values.bin ?? fileURLToPath(new URL("../packages/cli/dist/bin.mjs", import.meta.url));
const mockBin = values["mock-bin"] ?? bin;
const maxRssPreload = fileURLToPath(new URL("./max-rss.cjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "refundkit-bulk-bench-"));
const profileDir = values["cpu-prof"];
const profileFlags = profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir];

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 (1-based), in clock ticks (USER_HZ: 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Starts `refundkit mock`; resolves with its URL and the `export` lines as variables. */
async function startMock(): Promise<{
  child: ChildProcess;
  url: string;
  env: Record<string, string>;
}> {
  const child = spawn(process.execPath, [...profileFlags, mockBin, "mock", "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  while (!out.includes("Ctrl-C stops it.")) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (child.exitCode !== null) throw new Error(`refundkit mock exited: ${out}`);
  }
  const url = /mock providers on (\S+)/.exec(out)?.[1] ?? "";
  const env: Record<string, string> = {};
  for (const match of out.matchAll(/^export (REFUNDKIT_\w+)=(.*)$/gm)) {
    env[match[1] as string] = match[2] as string;
  }
  return { child, url, env };
}

const PROVIDERS = [
  { provider: "sezzle", currency: "USD", amount: "24.98", id: () => randomUUID() },
  { provider: "optty", currency: "AUD", amount: "10.00", id: () => `op-${randomUUID()}` },
  { provider: "moyasar", currency: "SAR", amount: "100.50", id: () => randomUUID() },
  { provider: "levelup", currency: "USD", amount: "", id: () => randomUUID().replaceAll("-", "") },
  { provider: "briqpay", currency: "SEK", amount: "10.00", id: () => randomUUID() },
] as const;

/** Seeds `rows` orders through the admin API and writes the CSV that refunds each once. */
async function prepare(url: string, file: string, rows: number) {
  const orders: Record<string, unknown>[] = [];
  const csv = createWriteStream(file);
  csv.write("provider,order_id,amount,currency,reason\n");
  for (let index = 0; index < rows; index++) {
    const p = PROVIDERS[index % PROVIDERS.length] as (typeof PROVIDERS)[number];
    const id = p.id();
    orders.push({
      provider: p.provider,
      id,
      amount: 50_000,
      currency: p.currency,
      ...(p.provider === "briqpay" ? { settleAfterMs: 0 } : {}),
    });
    csv.write(
      `${p.provider},${id},${p.amount},${p.amount === "" ? "" : p.currency},Bench row ${index + 1}\n`,
    );
  }
  csv.end();
  await once(csv, "finish");
  const response = await fetch(`${url}/__mock/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(orders),
  });
  if (response.status !== 201) throw new Error(`seeding failed: ${await response.text()}`);
}

/** Runs the CLI with the peak-RSS preload; resolves with exit code, wall time, peak RSS. */
async function runCli(args: string[], env: Record<string, string>) {
  const rssFile = join(dir, `rss-${Date.now()}`);
  const started = performance.now();
  const child = spawn(process.execPath, [...profileFlags, "-r", maxRssPreload, bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...env,
      BENCH_MAX_RSS_FILE: rssFile,
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: a bench-only knob, read here alone
      ...(process.env.BULK_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BULK_NODE_OPTIONS } : {}),
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number];
  const seconds = (performance.now() - started) / 1000;
  const usage = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRSS: number; cpuMs: number };
  return { code, seconds, maxRssMb: usage.maxRSS / 1024, cpuMs: usage.cpuMs, stdout, stderr };
}

/**
 * CPU per request of a bare node:http round trip, client and server in separate processes (the
 * server is a child `node -e`), 8 requests in flight on keep-alive sockets: the floor under any
 * HTTP refund on this machine at this moment.
 */
async function bareRoundTrip(requests = 5_000): Promise<{ clientUs: number; serverUs: number }> {
  const serverSource = `
    const http = require("node:http");
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.stringify({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c", size: Buffer.concat(chunks).length });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ["-e", serverSource], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  const port = Number(chunk.toString().trim());
  const http = await import("node:http");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const body = JSON.stringify({ amount_in_cents: 2498, currency: "USD", reason: "Bench row" });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/v2/order/4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/refund",
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            authorization: "Bearer token",
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (data: Buffer) => chunks.push(data));
          response.on("end", () => {
            JSON.parse(Buffer.concat(chunks).toString());
            resolve();
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  const run = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < count) await one();
      }),
    );
  };
  await run(500);
  const serverBefore = cpuMsOf(child.pid);
  const before = process.cpuUsage();
  await run(requests);
  const used = process.cpuUsage(before);
  const serverAfter = cpuMsOf(child.pid);
  agent.destroy();
  child.kill();
  return {
    clientUs: (used.user + used.system) / requests,
    serverUs:
      serverBefore === null || serverAfter === null
        ? Number.NaN
        : ((serverAfter - serverBefore) * 1000) / requests,
  };
}

async function main() {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines: string[] = [
    `machine: ${cpus().length} x ${cpu}, Node.js ${process.version}, load average ${(
      await import("node:os")
    )
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  ];
  const bare = await bareRoundTrip();
  lines.push(
    `bare node:http round trip (keep-alive, 8 in flight), CPU per request: client ${bare.clientUs.toFixed(0)} us, server ${bare.serverUs.toFixed(0)} us`,
  );
  const mock = await startMock();
  try {
    const file = join(dir, "refunds.csv");
    await prepare(mock.url, file, ROWS);
    const mockCpuBefore = cpuMsOf(mock.child.pid);
    const run = await runCli(
      ["bulk", file, "--concurrency", values.concurrency as string],
      mock.env,
    );
    const mockCpuAfter = cpuMsOf(mock.child.pid);
    const mockCpu =
      mockCpuBefore === null || mockCpuAfter === null ? null : mockCpuAfter - mockCpuBefore;
    const ledger = (await (await fetch(`${mock.url}/__mock/orders`)).json()) as {
      orders: { refunds: unknown[] }[];
    };
    const refundCounts = ledger.orders.map((order) => order.refunds.length);
    const exactlyOnce = refundCounts.every((count) => count === 1);
    const resultRows =
      readFileSync(join(dir, "refunds.results.csv"), "utf8").trim().split("\n").length - 1;
    const rate = ROWS / run.seconds;
    lines.push(
      `bulk ${ROWS} rows (5 providers, --concurrency ${values.concurrency}): exit ${run.code}, ${run.seconds.toFixed(2)} s end to end, ${Math.round(rate)} refunds/s (target >= 2000: ${rate >= 2000 ? "met" : "NOT met"}), peak RSS ${run.maxRssMb.toFixed(0)} MB (target < 150: ${run.maxRssMb < 150 ? "met" : "NOT met"}); ledger: ${exactlyOnce ? "exactly one refund on every order" : "NOT one refund per order"}; results CSV rows: ${resultRows}`,
    );
    const perRefund = (ms: number | null, bareUs: number) =>
      ms === null
        ? "n/a"
        : `${((ms * 1000) / ROWS).toFixed(0)} us = ${((ms * 1000) / ROWS / bareUs).toFixed(1)} bare round trips`;
    lines.push(
      `CPU per refund (user + system): refundkit bulk ${perRefund(run.cpuMs, bare.clientUs)} (${(run.cpuMs / 1000).toFixed(1)} s in all, start-up included), refundkit mock ${perRefund(mockCpu, bare.serverUs)}; both together allow at most ${
        mockCpu === null ? "n/a" : Math.round((cpus().length * 1000 * ROWS) / (run.cpuMs + mockCpu))
      } refunds/s on ${cpus().length} idle cores`,
    );
    const busy = (ms: number | null) =>
      ms === null ? "n/a" : `${((100 * ms) / (run.seconds * 1000)).toFixed(0)}%`;
    lines.push(
      `busy share of the run (CPU time / wall time): refundkit bulk ${busy(run.cpuMs)}, refundkit mock ${busy(mockCpu)}`,
    );
    if (run.code !== 0) lines.push(run.stderr.slice(-2000), run.stdout.slice(-2000));
  } finally {
    mock.child.kill("SIGTERM");
  }
  if (DRY_ROWS > 0) {
    const file = join(dir, "dry.csv");
    const csv = createWriteStream(file);
    csv.write("provider,order_id,amount,currency,reason\n");
    for (let index = 0; index < DRY_ROWS; index++) {
      const p = PROVIDERS[index % PROVIDERS.length] as (typeof PROVIDERS)[number];
      if (
        !csv.write(
          `${p.provider},${p.id()},${p.amount},${p.amount === "" ? "" : p.currency},"Row ${index + 1}, returned"\n`,
        )
      ) {
        await once(csv, "drain");
      }
    }
    csv.end();
    await once(csv, "finish");
    const run = await runCli(["bulk", file, "--dry-run"], {});
    lines.push(
      `bulk --dry-run ${DRY_ROWS} rows: exit ${run.code}, ${run.seconds.toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB (target < 200: ${run.maxRssMb < 200 ? "met" : "NOT met"})`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(lines.join("\n"));
}

await main();
