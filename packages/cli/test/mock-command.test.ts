/**
 * `refundkit mock --seed demo` as a person starts it: the built CLI in a child process prints the
 * base URLs and `export` lines that point refundkit at it, seeds the demo's orders, takes many
 * orders in one admin request, and stops cleanly (exit 0) on SIGINT and SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/bin.mjs", import.meta.url));

async function startMock(...args: string[]): Promise<{ child: ChildProcess; out: () => string }> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
  const child = spawn(process.execPath, [bin, "mock", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes("Ctrl-C stops it.")) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`refundkit mock exited with ${code}: ${out}`));
    });
  });
  return { child, out: () => out };
}

function stop(
  child: ChildProcess,
  signal: NodeJS.Signals,
): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => {
    child.once("exit", (code, received) => resolve([code, received]));
    child.kill(signal);
  });
}

describe("refundkit mock --seed demo", () => {
  it("prints base URLs and export lines, serves the demo's orders, seeds many at once, stops on SIGINT", async () => {
    const { child, out } = await startMock("--seed", "demo");
    const text = out();
    const url = /mock providers on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? "";
    expect(text).toContain(`export REFUNDKIT_SEZZLE_BASE_URL=${url}/sezzle`);
    expect(text).toContain(`export REFUNDKIT_BRIQPAY_BASE_URL=${url}/briqpay/v3`);
    expect(text).toContain("export REFUNDKIT_MOYASAR_API_KEY=sk_test_mock");
    expect(text).toContain("export REFUNDKIT_LEVELUP_MERCHANT_ID=3225");
    const ledger = (await (await fetch(`${url}/__mock/orders`)).json()) as {
      orders: { provider: string }[];
    };
    expect(ledger.orders.map((order) => order.provider).sort()).toEqual([
      "briqpay",
      "levelup",
      "moyasar",
      "optty",
      "sezzle",
    ]);
    const many = Array.from({ length: 10_000 }, (_, index) => ({
      provider: "moyasar",
      id: `bulk-${index}`,
      amount: 1_000,
      currency: "SAR",
    }));
    const seeded = await fetch(`${url}/__mock/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(many),
    });
    expect(seeded.status).toBe(201);
    expect(await seeded.json()).toEqual({ seeded: 10_000 });
    const bad = await fetch(`${url}/__mock/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { provider: "moyasar", id: "ok-1", amount: 1, currency: "SAR" },
        { provider: "paypal", id: "x", amount: 1, currency: "USD" },
      ]),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: expect.stringContaining("orders[1]"),
      seeded: 1,
    });
    expect(await stop(child, "SIGINT")).toEqual([0, null]);
  }, 30_000);

  it("stops cleanly on SIGTERM too; --seed none starts empty", async () => {
    const { child, out } = await startMock("--seed", "none");
    expect(out()).toContain("Orders seeded: none");
    expect(await stop(child, "SIGTERM")).toEqual([0, null]);
  }, 30_000);

  it("refuses an unknown --seed with exit 2", async () => {
    const child = spawn(process.execPath, [bin, "mock", "--seed", "everything"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toContain("everything");
  }, 30_000);
});
