/**
 * The bundle-size budgets of bench/size.ts, enforced by the test command (which builds first):
 * the refund path of each package (its adapter and client factory; `createRefunds` and
 * `RefundError` for `refundkit`) and, as a growth guard, its whole entry, each bundled with its
 * dependencies, minified, tree-shaken and gzipped.
 */
import { describe, expect, it } from "vitest";
import {
  budgets,
  namedImportSize,
  refundPath,
  refundPathSize,
  wholeEntryBudgets,
  wholeEntrySize,
} from "./size.js";

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

  // Tree-shaking works only while no module-level statement of a provider package has a side
  // effect: a call such as `defineAdapter({...})` or `Object.freeze({...})` at module level, or a
  // call inside a module-level object literal, keeps its module and everything it reaches. Mark
  // such calls `/* @__PURE__ */`. These fail when one slips in.
  const transport = ["node_modules/openapi-fetch/", "packages/core/dist/resilient-fetch.mjs"];
  for (const dir of ["sezzle", "optty", "levelup", "moyasar", "briqpay"]) {
    it(`${dir}Capabilities alone is a few hundred bytes, without the client`, async () => {
      const { minified, inputs } = await namedImportSize(dir, [`${dir}Capabilities`]);
      expect(inputs.filter(([input]) => transport.some((t) => input.startsWith(t)))).toEqual([]);
      expect(minified).toBeLessThan(1_000);
    }, 30_000);
    it(`${dir}Webhooks alone does not bundle the refund client`, async () => {
      const { inputs } = await namedImportSize(dir, [`${dir}Webhooks`]);
      expect(inputs.filter(([input]) => transport.some((t) => input.startsWith(t)))).toEqual([]);
    }, 30_000);
  }
});
