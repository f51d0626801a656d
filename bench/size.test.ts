/**
 * The bundle-size budgets of bench/size.ts, enforced by the test command (which builds first):
 * each package's built entry bundled with its dependencies, minified and gzipped.
 */
import { describe, expect, it } from "vitest";
import { budgets, bundledSize } from "./size.js";

describe("bundle size, min+gzip", () => {
  for (const [dir, budget] of Object.entries(budgets)) {
    it(`${dir} is within ${budget} bytes`, async () => {
      const { gzipped } = await bundledSize(dir);
      expect(gzipped).toBeLessThanOrEqual(budget);
    }, 30_000);
  }
});
