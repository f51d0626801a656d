/**
 * `refundkit bulk` killed with SIGKILL at random points, then the same command run again: a real
 * child process (the built CLI) against the mock providers over HTTP. Needs the build (the test
 * command builds first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type MockServer, startMockServer } from "@refundkit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal } from "../src/bulk/journal.js";
import { bulkPaths } from "../src/bulk/run.js";
import {
  briqpayRow,
  csvFile,
  levelupAndBriqpayRows,
  mockEnv,
  records,
  seededCsv,
} from "./helpers.js";

const bin = fileURLToPath(new URL("../dist/bin.mjs", import.meta.url));
let server: MockServer;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (pnpm build)`);
  server = await startMockServer({ port: 0 });
});

afterAll(async () => {
  await server?.close();
});

function start(file: string): ChildProcess {
  return spawn(process.execPath, [bin, "bulk", file, "--concurrency", "8"], {
    env: { ...process.env, ...mockEnv(server) },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Runs the same command again to its end: its exit code, its stderr and the results CSV's rows. */
async function rerun(
  file: string,
): Promise<{ code: number | null; stderr: string; results: Record<string, string>[] }> {
  const child = start(file);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await exitOf(child);
  return { code, stderr, results: records(readFileSync(bulkPaths(file).results, "utf8")) };
}

function journalLines(file: string): number {
  const path = bulkPaths(file).journal;
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 1 : 0;
}

/**
 * Kills the run with SIGKILL once its journal has at least `lines` lines and `afterMs` more have
 * passed (or it ends first).
 */
async function killPartWay(file: string, lines: number, afterMs = 0): Promise<number | null> {
  const child = start(file);
  const exited = exitOf(child);
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done && journalLines(file) < lines) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (!done && afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
  if (!done) child.kill("SIGKILL");
  return exited;
}

describe("refundkit bulk under kill -9", () => {
  it("every order refunded exactly once and every row in the results after kills at random points", async () => {
    const rows = 240;
    const idempotent = [
      { provider: "sezzle", currency: "USD", amount: "12.34", minor: 1234 },
      { provider: "optty", currency: "AUD", amount: "0.29", minor: 29 },
      { provider: "moyasar", currency: "KWD", amount: "1.250", minor: 1250 },
    ] as const;
    const lines = ["provider,order_id,amount,currency,reason"];
    const expected = new Map<string, number>();
    for (let index = 0; index < rows; index++) {
      const p = idempotent[index % idempotent.length] as (typeof idempotent)[number];
      const id = `${p.provider}-${randomUUID()}`;
      // A few ms of processing per refund keeps requests in flight when the kill lands.
      server.orders.seed({
        provider: p.provider,
        id,
        amount: 50_000,
        currency: p.currency,
        processingMs: 3,
      });
      expected.set(`${p.provider}/${id}`, p.minor);
      lines.push(`${p.provider},${id},${p.amount},${p.currency},row ${index + 1}`);
    }
    const file = csvFile(`${lines.join("\n")}\n`);
    // Three kills, each once the journal has grown past a random point of the run.
    const points = [0, 1, 2].map((round) => Math.floor((round + Math.random()) * rows * 0.6) + 2);
    for (const point of points) {
      const code = await killPartWay(file, point);
      if (code !== null) break; // finished before the kill point: nothing left to kill
    }
    const final = start(file);
    let stderr = "";
    final.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitOf(final), `${stderr}\n(kill points: ${points.join(", ")})`).toBe(0);

    for (const order of server.orders.list()) {
      const amount = expected.get(`${order.provider}/${order.id}`);
      if (amount === undefined) continue;
      expect(
        order.refunds.map((refund) => refund.amount),
        `${order.provider} ${order.id}`,
      ).toEqual([amount]);
    }
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results).toHaveLength(rows);
    expect(new Set(results.map((row) => row.status))).toEqual(new Set(["succeeded"]));
    expect(results.map((row) => Number(row.row))).toEqual(
      Array.from({ length: rows }, (_, i) => i + 1),
    );
  }, 180_000);

  it("Ctrl-C stops taking rows, records the ones in flight and writes the results; a re-run finishes", async () => {
    const rows = 300;
    const lines = ["provider,order_id,amount,currency,reason"];
    const ids: string[] = [];
    for (let index = 0; index < rows; index++) {
      const id = `mp-${randomUUID()}`;
      ids.push(id);
      server.orders.seed({
        provider: "moyasar",
        id,
        amount: 5_000,
        currency: "SAR",
        processingMs: 5,
      });
      lines.push(`moyasar,${id},1.00,SAR,row ${index + 1}`);
    }
    const file = csvFile(`${lines.join("\n")}\n`);
    const child = start(file);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = exitOf(child);
    while (journalLines(file) < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill("SIGINT");
    const code = await exited;
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results).toHaveLength(rows);
    expect(results.some((row) => row.status === "not_sent")).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toContain("Stopped by SIGINT");
    for (const [index, id] of ids.entries()) {
      const refunds = server.orders.get("moyasar", id)?.refunds ?? [];
      expect(refunds).toHaveLength(results[index]?.status === "succeeded" ? 1 : 0);
    }
    expect(await exitOf(start(file))).toBe(0);
    for (const id of ids) expect(server.orders.get("moyasar", id)?.refunds).toHaveLength(1);
  }, 120_000);

  it("LevelUp and Briqpay rows in flight at the kill are never refunded twice", async () => {
    const rows = 120;
    const orders = levelupAndBriqpayRows(server, rows, 5);
    const file = seededCsv(orders);
    await killPartWay(file, Math.floor(Math.random() * rows) + 2);
    const final = start(file);
    const code = await exitOf(final);

    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results).toHaveLength(rows);
    for (const [index, order] of orders.entries()) {
      const refunds = server.orders.get(order.provider, order.id)?.refunds ?? [];
      const status = results[index]?.status;
      // Exactly once: a row in flight at the kill is reconciled by the re-run (the provider's
      // refund found and recorded, or none found and the row sent), never sent twice.
      expect(refunds, `${order.provider} ${order.id}`).toHaveLength(1);
      expect(status, `${order.provider} ${order.id}: ${results[index]?.error_message}`).toBe(
        "succeeded",
      );
    }
    expect(code).toBe(0);
  }, 120_000);

  it("LevelUp and Briqpay send records written ahead of their requests: rows never sent are sent once by the re-run, rows sent are not sent again", async () => {
    const rows = 160;
    // 60 ms at the provider per refund: requests are in flight and rows are queued, their
    // send records on disk, when the kill lands.
    const orders = levelupAndBriqpayRows(server, rows, 60);
    const file = seededCsv(orders);
    expect(await killPartWay(file, 40 + Math.floor(Math.random() * 40))).toBeNull();
    // Let the provider finish what the killed run sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const journal = await readJournal(bulkPaths(file).journal);
    const open = [...journal.rows.values()].filter(
      (state) => state.send?.kind === "send" && state.outcome === null,
    );
    const refunded = (state: (typeof open)[number]) =>
      (server.orders.get(state.send?.provider as "briqpay", state.send?.order ?? "")?.refunds
        .length ?? 0) > 0;
    // Written ahead and never sent: the provider has nothing for them.
    expect(open.filter((state) => !refunded(state)).length).toBeGreaterThan(0);

    const { code, stderr, results } = await rerun(file);
    expect(results).toHaveLength(rows);
    for (const [index, order] of orders.entries()) {
      const refunds = server.orders.get(order.provider, order.id)?.refunds ?? [];
      expect(refunds, `${order.provider} ${order.id}`).toHaveLength(1);
      expect(results[index]?.status, `${order.id}: ${results[index]?.error_message}`).toBe(
        "succeeded",
      );
      // Briqpay names its refunds (LevelUp answers the order, with no refund id).
      if (order.provider === "briqpay") expect(results[index]?.refund_id).toBe(refunds[0]?.id);
    }
    expect(code, stderr).toBe(0);
  }, 120_000);

  it("several Briqpay rows on one session (same amount): none sent twice, no refund claimed by two rows, across kills", async () => {
    const sessions = 24;
    const perSession = 3;
    const lines = ["provider,order_id,amount,currency,reason"];
    const ids: string[] = [];
    for (let index = 0; index < sessions; index++) {
      const id = randomUUID();
      ids.push(id);
      // Room for more refunds than rows: a row sent twice shows as a fourth refund.
      server.orders.seed({
        provider: "briqpay",
        id,
        amount: 10_000,
        currency: "SEK",
        settleAfterMs: 0,
        processingMs: 20,
      });
    }
    // Each session's rows close together (a partial refund in three parts).
    for (let part = 0; part < perSession; part++) {
      for (let index = 0; index < sessions; index += 4) {
        for (const id of ids.slice(index, index + 4))
          lines.push(`briqpay,${id},10.00,SEK,part ${part + 1}`);
      }
    }
    const file = csvFile(`${lines.join("\n")}\n`);
    const total = sessions * perSession;
    for (const point of [0, 1].map(
      (round) => Math.floor((round + Math.random()) * total * 0.5) + 2,
    )) {
      if ((await killPartWay(file, point)) !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const code = await exitOf(start(file));
    const results = records(readFileSync(bulkPaths(file).results, "utf8"));
    expect(results).toHaveLength(total);
    for (const id of ids) {
      const refunds = (server.orders.get("briqpay", id)?.refunds ?? []).map((refund) => refund.id);
      const rows = results.filter((row) => row.order_id === id);
      const claimed = rows.filter((row) => row.status === "succeeded").map((row) => row.refund_id);
      // Never sent twice: no more refunds than rows.
      expect(refunds.length, id).toBeLessThanOrEqual(perSession);
      // No refund taken by two rows, and each claimed refund is one the provider has.
      expect(new Set(claimed).size, id).toBe(claimed.length);
      for (const refundId of claimed) expect(refunds, id).toContain(refundId);
      // None lost silently: a row not recorded as refunded is left for a person to look at.
      for (const row of rows) expect(["succeeded", "needs_review"], id).toContain(row.status);
    }
    expect(code === 0 || results.some((row) => row.status === "needs_review")).toBe(true);
  }, 120_000);

  it("a Briqpay row in flight at the kill is reconciled by the re-run from the journal's send time", async () => {
    const rows = 40;
    const lines = ["provider,order_id,amount,currency,reason"];
    const ids: string[] = [];
    for (let index = 0; index < rows; index++) {
      // Slow answers: the kill lands while requests are at the provider, which makes the refund
      // after the client is gone (the answer is lost, the refund is not).
      const { id, line } = briqpayRow(server, index, 400);
      ids.push(id);
      lines.push(line);
    }
    const file = csvFile(`${lines.join("\n")}\n`);
    // The start line and the first requests' send records, then time for those requests to
    // reach the provider (which answers after 400 ms): killed with them in flight.
    expect(await killPartWay(file, 6, 150)).toBeNull();
    const journal = await readJournal(bulkPaths(file).journal);
    const inFlight = [...journal.rows.values()].filter(
      (state) => state.send?.kind === "send" && state.outcome === null,
    );
    expect(inFlight.length).toBeGreaterThan(0);
    // Let the provider finish the requests the killed run sent: their refunds exist, unanswered.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const refundedUnanswered = inFlight.filter(
      (state) => (server.orders.get("briqpay", state.send?.order ?? "")?.refunds.length ?? 0) > 0,
    );
    expect(refundedUnanswered.length).toBeGreaterThan(0);

    const { code, stderr, results } = await rerun(file);
    expect(results).toHaveLength(rows);
    for (const [index, id] of ids.entries()) {
      const refunds = server.orders.get("briqpay", id)?.refunds ?? [];
      expect(refunds, id).toHaveLength(1);
      expect(results[index]?.status, `${id}: ${results[index]?.error_message}`).toBe("succeeded");
      expect(results[index]?.refund_id).toBe(refunds[0]?.id);
    }
    expect(code, stderr).toBe(0);
  }, 120_000);
});
