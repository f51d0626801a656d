/**
 * Where a `refund()` spends its time: runs refunds through the built facade under the V8 CPU
 * profiler (the same sampling profiler as `node --cpu-prof`), then prints the top frames by self
 * time and, since most self time lands in Node's own internals (undici, web streams, promises),
 * the same samples attributed to the nearest refundkit or openapi-fetch frame on their stack
 * (who caused that work).
 *
 * - default: Sezzle refunds with a cached token and a fetch that answers from memory;
 * - `--bare`: bare openapi-fetch sending the same request with that fetch (the reference);
 * - `--bad-input`: a refused input instead;
 * - `--server`: against bench/server.ts (another process, keep-alive, 8 in flight), as the
 *   throughput comparison of bench/compare.ts runs it; `--raw` there profiles raw `fetch` instead.
 *
 * Run: `node --import tsx bench/profile.ts [--bare | --bad-input | --server [--raw]]`
 */
import { Session } from "node:inspector/promises";
import {
  bareRefund,
  createClient,
  createRefunds,
  memoryFetch,
  ORDER as REFUND_ORDER,
  rawRefund,
  root,
  startServer,
} from "./sezzle-reference.js";

const badInput = process.argv.includes("--bad-input");
const overHttp = process.argv.includes("--server");
const raw = overHttp && process.argv.includes("--raw");
const bare = !overHttp && process.argv.includes("--bare");
const ORDER = badInput ? "../admin" : REFUND_ORDER;

let baseUrl = "https://sezzle.test";
let stopServer = () => {};
if (overHttp) {
  const server = await startServer();
  baseUrl = server.baseUrl;
  stopServer = server.stop;
}
const refunds = createRefunds(
  { sezzle: { baseUrl, publicKey: "pk", privateKey: "sk" } },
  overHttp ? {} : { fetch: memoryFetch },
);
const bareClient = createClient({ baseUrl, fetch: memoryFetch });
let key = 0;
const one = (): Promise<unknown> => {
  if (bare) return bareRefund(bareClient, `k-${++key}`, ORDER);
  if (raw) return rawRefund(baseUrl, `k-${++key}`, ORDER);
  return refunds
    .refund({ provider: "sezzle", orderId: ORDER, amount: 2500, currency: "USD" })
    .catch((error: unknown) => {
      if (!badInput) throw error;
    });
};
const loop = async (n: number) => {
  let next = 0;
  const lanes = overHttp ? 8 : 1;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < n) {
        next += 1;
        await one();
      }
    }),
  );
};

await loop(5_000);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
await loop(badInput ? 200_000 : 20_000);
const { profile } = await session.post("Profiler.stop");
session.disconnect();
stopServer();

type Node = (typeof profile.nodes)[number];
const byId = new Map<number, Node>(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

const fileOf = (node: Node) =>
  node.callFrame.url
    .replace(/^file:\/\//, "")
    .replace(root, "")
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "");
const nameOf = (node: Node) => {
  const file = fileOf(node);
  const { functionName, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
};
/** A frame of refundkit's packages or of openapi-fetch (not Node's internals, not this script). */
const isProject = (node: Node) => {
  const file = fileOf(node);
  return file.startsWith("packages/") || file.startsWith("openapi-fetch/");
};

const self = new Map<string, number>();
const attributed = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  total += hits;
  self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + hits);
  let at: Node | undefined = node;
  while (at !== undefined && !isProject(at)) {
    const parent = parentOf.get(at.id);
    at = parent === undefined ? undefined : byId.get(parent);
  }
  const owner = at === undefined ? `(no project frame) ${nameOf(node)}` : nameOf(at);
  attributed.set(owner, (attributed.get(owner) ?? 0) + hits);
}
const print = (title: string, map: Map<string, number>, count: number) => {
  console.log(`\n| ${title} | frame |\n| ---: | --- |`);
  for (const [name, hits] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`| ${((hits / total) * 100).toFixed(1)}% | \`${name}\` |`);
  }
};
/** Self time by area, and the CPU it amounts to per call (samples that were not idle). */
const areaOf = (node: Node): string => {
  const file = fileOf(node);
  const name = node.callFrame.functionName;
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "garbage collector";
  if (file.startsWith("packages/")) return file.split("/").slice(0, 2).join("/");
  if (file.startsWith("openapi-fetch/")) return "openapi-fetch";
  if (file.includes("undici")) return "undici (fetch, Request, Response, Headers)";
  if (file.includes("webstreams")) return "web streams";
  if (
    file.includes("abort_controller") ||
    file.includes("js_transferable") ||
    name === "JSTransferable"
  )
    return "AbortSignal / transferable";
  if (file.includes("internal/process") || name === "runMicrotasks")
    return "promises, microtasks, ticks";
  if (file.startsWith("node:") || file === "")
    return `other Node/V8 (${name || "anonymous"})`.replace(/\(\((.*)\)\)/, "($1)");
  return "other";
};
const areas = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits > 0) areas.set(areaOf(node), (areas.get(areaOf(node)) ?? 0) + hits);
}
const idle = areas.get("idle") ?? 0;
const calls = badInput ? 200_000 : 20_000;
const microsPerSample = (profile.endTime - profile.startTime) / total;
console.log(
  `\n${calls} calls, ${(((total - idle) * microsPerSample) / calls).toFixed(1)} us of non-idle CPU per call (sampled)`,
);
print("self time", self, 25);
print("attributed to the nearest project frame", attributed, 25);
print("self time by area", areas, 20);
