/**
 * The CPU `refundkit mock` spends per refund, per provider: the built CLI's `mock` command in a
 * child process, refunds sent by the facade (`createRefunds`, the node:http keep-alive transport
 * `refundkit bulk` uses, 8 in flight) from this process, the mock's CPU time (user + system) read
 * from /proc around each provider's run. Orders are seeded through the admin API first (not
 * counted). Beside it, as in bench/bulk.ts, the server side of a bare node:http round trip.
 *
 * Run after a build: `npx tsx bench/mock-cpu.ts [--refunds N] [--rounds R] [--mock-bin PATH]...`;
 * several `--mock-bin` run side by side, interleaved round by round (to compare two builds on a
 * machine whose load moves), `--cpu-prof DIR` profiles the mock.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    refunds: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    "mock-bin": { type: "string", multiple: true },
    "cpu-prof": { type: "string" },
    providers: { type: "string", default: "sezzle,optty,levelup,moyasar,briqpay" },
    callgrind: { type: "string" },
  },
});
/** Bench-only knobs from the environment, read here alone. */
const env = process.env;
/** Refunds per provider before any is measured (tokens, validators, JIT). */
const MOCK_CPU_WARM = Number(env.MOCK_CPU_WARM ?? 1000);
/** Node flags for the mock alone (e.g. `--trace-deopt --trace-opt`). */
const MOCK_NODE_ARGS = (env.MOCK_NODE_ARGS ?? "").split(" ").filter(Boolean);
/** A file that gets the mock's output (its traces). */
const MOCK_STDOUT = env.MOCK_STDOUT;
const REFUNDS = Number(values.refunds);
const ROUNDS = Number(values.rounds);
const bins = values["mock-bin"] ?? [
  fileURLToPath(new URL("../packages/cli/dist/bin.mjs", import.meta.url)),
];
/**
 * `--callgrind DIR`: the mock runs under valgrind's callgrind, and each figure is the thousands
 * of instructions it executed per refund, counted from a zeroed counter to a dump
 * (`callgrind_control`): unlike CPU time, it does not move with other load. Slow (the mock runs
 * about 50 times slower): use `--refunds 500` or so.
 */
const callgrindDir = values.callgrind;
const profileFlags =
  values["cpu-prof"] === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]];
const { createRefunds } = await import("../packages/refundkit/dist/index.mjs");
const { createKeepAliveFetch } = await import("../packages/core/dist/internal/node-fetch.mjs");

/** CPU time (user + system, ms) of a process, or with `mainThread` of its main thread alone. */
function cpuMsOf(pid: number | undefined, mainThread = false): number {
  const stat = readFileSync(
    mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`,
    "utf8",
  );
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startMock(
  bin: string,
): Promise<{ child: ChildProcess; url: string; env: Record<string, string> }> {
  const command =
    callgrindDir === undefined
      ? // MOCK_NODE_ARGS: node flags for the mock alone (e.g. --trace-deopt).
        [process.execPath, ...profileFlags, ...MOCK_NODE_ARGS, bin]
      : [
          "valgrind",
          "--tool=callgrind",
          "--smc-check=all-non-file",
          "--dump-instr=no",
          `--callgrind-out-file=${callgrindDir}/callgrind.out.%p`,
          process.execPath,
          bin,
        ];
  const child = spawn(command[0] as string, [...command.slice(1), "mock", "--port", "0"], {
    stdio: ["ignore", "pipe", callgrindDir === undefined ? "inherit" : "ignore"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (MOCK_STDOUT !== undefined) appendFileSync(MOCK_STDOUT, chunk);
  });
  while (!out.includes("Ctrl-C stops it.")) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (child.exitCode !== null) throw new Error(`refundkit mock exited: ${out}`);
  }
  const env: Record<string, string> = {};
  for (const match of out.matchAll(/^export REFUNDKIT_(\w+)=(.*)$/gm)) {
    env[match[1] as string] = match[2] as string;
  }
  return { child, url: /mock providers on (\S+)/.exec(out)?.[1] ?? "", env };
}

function callgrind(args: string[]): void {
  execFileSync("callgrind_control", args, { stdio: "ignore" });
}

/** The instructions (Ir) of the newest callgrind dump of `pid`. */
function lastDumpInstructions(pid: number | undefined): number {
  const files = readdirSync(callgrindDir as string)
    .filter((name) => name.startsWith(`callgrind.out.${pid}.`))
    .sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
  const text = readFileSync(join(callgrindDir as string, files.at(-1) as string), "utf8");
  const totals = /^(?:summary|totals): (\d+)/m.exec(text);
  if (totals === null) throw new Error("no totals in the callgrind dump");
  return Number(totals[1]);
}

const SHAPES = {
  sezzle: { currency: "USD", id: () => randomUUID(), request: { amount: 2498, currency: "USD" } },
  optty: {
    currency: "AUD",
    id: () => `op-${randomUUID()}`,
    request: { amount: 1000, currency: "AUD" },
  },
  moyasar: { currency: "SAR", id: () => randomUUID(), request: { amount: 10050, currency: "SAR" } },
  levelup: { currency: "USD", id: () => randomUUID().replaceAll("-", ""), request: {} },
  briqpay: { currency: "SEK", id: () => randomUUID(), request: { amount: 1000, currency: "SEK" } },
} as const;
type Provider = keyof typeof SHAPES;
const providers = (values.providers as string).split(",") as Provider[];

async function measure(bin: string): Promise<Record<string, number>> {
  const mock = await startMock(bin);
  const e = mock.env;
  const refunds = createRefunds(
    {
      sezzle: {
        baseUrl: e.SEZZLE_BASE_URL,
        publicKey: e.SEZZLE_PUBLIC_KEY,
        privateKey: e.SEZZLE_PRIVATE_KEY,
      },
      optty: {
        baseUrl: e.OPTTY_BASE_URL,
        clientId: e.OPTTY_CLIENT_ID,
        clientSecret: e.OPTTY_CLIENT_SECRET,
      },
      levelup: {
        baseUrl: e.LEVELUP_BASE_URL,
        token: e.LEVELUP_TOKEN ?? "",
        merchantId: e.LEVELUP_MERCHANT_ID,
      },
      moyasar: { baseUrl: e.MOYASAR_BASE_URL, apiKey: e.MOYASAR_API_KEY ?? "" },
      briqpay: {
        baseUrl: e.BRIQPAY_BASE_URL,
        username: e.BRIQPAY_USERNAME ?? "",
        secret: e.BRIQPAY_SECRET ?? "",
      },
    } as never,
    { fetch: createKeepAliveFetch({ maxSockets: 8 }) },
  );
  const result: Record<string, number> = {};
  const WARM = MOCK_CPU_WARM;
  try {
    const ids = new Map<Provider, string[]>();
    for (const provider of providers) {
      const shape = SHAPES[provider];
      ids.set(
        provider,
        Array.from({ length: REFUNDS + WARM }, () => shape.id()),
      );
      const seeded = await fetch(`${mock.url}/__mock/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          (ids.get(provider) as string[]).map((id) => ({
            provider,
            id,
            amount: 50_000,
            currency: shape.currency,
            ...(provider === "briqpay" ? { settleAfterMs: 0 } : {}),
          })),
        ),
      });
      if (seeded.status !== 201) throw new Error(await seeded.text());
    }
    const run = async (provider: Provider, from: number, to: number) => {
      const shape = SHAPES[provider];
      const list = ids.get(provider) as string[];
      let next = from;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < to) {
            const index = next++;
            const keyed =
              provider === "levelup" || provider === "briqpay"
                ? {}
                : { idempotencyKey: randomUUID() };
            await refunds.refund({
              provider,
              orderId: list[index],
              ...shape.request,
              ...keyed,
              reason: "Bench",
            } as never);
          }
        }),
      );
    };
    // Warm-up (tokens, validators compiled, JIT): every provider, before any is measured.
    for (const provider of providers) await run(provider, 0, WARM);
    for (const provider of providers) {
      if (callgrindDir !== undefined) {
        callgrind(["-z", String(mock.child.pid)]);
        await run(provider, WARM, WARM + REFUNDS);
        callgrind(["-d", String(mock.child.pid)]);
        result[provider] = lastDumpInstructions(mock.child.pid) / 1000 / REFUNDS;
        continue;
      }
      const before = cpuMsOf(mock.child.pid);
      const mainBefore = cpuMsOf(mock.child.pid, true);
      await run(provider, WARM, WARM + REFUNDS);
      result[provider] = ((cpuMsOf(mock.child.pid) - before) * 1000) / REFUNDS;
      result[`${provider} main`] = ((cpuMsOf(mock.child.pid, true) - mainBefore) * 1000) / REFUNDS;
    }
  } finally {
    mock.child.kill("SIGTERM");
    await new Promise((resolve) => mock.child.once("exit", resolve));
  }
  return result;
}

const unit = callgrindDir === undefined ? "us" : "k instructions";
const all = new Map<string, Record<string, number>[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const bin of bins) {
    const r = await measure(bin);
    all.set(bin, [...(all.get(bin) ?? []), r]);
    console.log(
      `round ${round + 1} ${bin}: ${providers.map((p) => `${p} ${r[p]?.toFixed(0)}${callgrindDir === undefined ? ` (main thread ${r[`${p} main`]?.toFixed(0)})` : ""}`).join(", ")} ${unit}`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const [bin, rs] of all) {
  const per = providers.map((p) => median(rs.map((r) => r[p] as number)));
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  const mainPer = providers.map((p) => median(rs.map((r) => r[`${p} main`] as number)));
  const mainMean = mainPer.reduce((a, b) => a + b, 0) / mainPer.length;
  console.log(
    `median ${bin}: ${providers.map((p, i) => `${p} ${per[i]?.toFixed(0)}`).join(", ")}; mean of providers ${mean.toFixed(0)} ${unit} per refund${callgrindDir === undefined ? ` (main thread ${mainMean.toFixed(0)})` : ""}`,
  );
}
