/**
 * The bundle-size budgets of bench/size.ts, enforced by the test command (which builds first):
 * the refund path of each package (its adapter and client factory; `createRefunds` and
 * `RefundError` for `refundkit`) and, as a growth guard, its whole entry, each bundled with its
 * dependencies, minified, tree-shaken and gzipped.
 */
import { describe, expect, it } from "vitest";
import { budgets, refundPath, refundPathSize, wholeEntryBudgets, wholeEntrySize } from "./size.js";

describe("bundle size, min+gzip", () => {
  for (const [dir, budget] of Object.entries(budgets)) {
    it(`${dir}'s refund path (${refundPath[dir]?.join(", ")}) is within ${budget} bytes`, async () => {
      const { gzipped, inputs } = await refundPathSize(dir);
      // The entry really bundles the package: its own build is among the inputs.
      expect(inputs.some(([input]) => input.startsWith(`packages/${dir}/dist/`))).toBe(true);
      expect(gzipped).toBeLessThanOrEqual(budget);
    }, 30_000);
  }
  for (const [dir, budget] of Object.entries(wholeEntryBudgets)) {
    it(`${dir}'s whole entry is within ${budget} bytes`, async () => {
      const { gzipped } = await wholeEntrySize(dir);
      expect(gzipped).toBeLessThanOrEqual(budget);
    }, 30_000);
  }
});
