/**
 * Where a `refund()` spends its time: runs refunds through the built facade with a fetch that
 * answers from memory under the V8 CPU profiler (the same sampling profiler as
 * `node --cpu-prof`), then prints the top frames by self time and the share of garbage
 * collection. `--bad-input` profiles a refused input instead.
 *
 * Run: `node --import tsx bench/profile.ts [--bad-input]`
 */
import { Session } from "node:inspector/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const { createRefunds } = (await import(
  pathToFileURL(`${root}packages/refundkit/dist/index.mjs`).href
)) as typeof import("../packages/refundkit/src/index.js");

const badInput = process.argv.includes("--bad-input");
const ORDER = badInput ? "../admin" : "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const memoryFetch: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const body = url.endsWith("/v2/authentication")
    ? JSON.stringify({ token: "tok", expiration_date: "2099-01-01T00:00:00Z" })
    : JSON.stringify({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c" });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
};
const refunds = createRefunds(
  { sezzle: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" } },
  { fetch: memoryFetch },
);
const loop = async (n: number) => {
  for (let i = 0; i < n; i++) {
    await refunds
      .refund({ provider: "sezzle", orderId: ORDER, amount: 2500, currency: "USD" })
      .catch((error: unknown) => {
        if (!badInput) throw error;
      });
  }
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

const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, "")
    .replace(root, "")
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "");
  const name = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
  self.set(name, (self.get(name) ?? 0) + hits);
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
console.log(`| self time | frame |\n| ---: | --- |`);
for (const [name, hits] of top) {
  console.log(`| ${((hits / total) * 100).toFixed(1)}% | \`${name}\` |`);
}
