import { describe, expect, it } from "vitest";
import { createMockHandlers, type MockProvider } from "../src/index.js";

// The ledger keeps each provider's orders apart (per-provider maps, src/ledger.ts): the same id
// under two providers is two orders, a name that is not a provider finds nothing, and `list()`
// keeps the order in which orders were first seeded.
describe("the ledger's lookups", () => {
  it("finds an order under its own provider only, and lists orders as first seeded", () => {
    const { orders } = createMockHandlers();
    orders.seed({ provider: "moyasar", id: "same-id", amount: 100, currency: "SAR" });
    orders.seed({ provider: "sezzle", id: "same-id", amount: 200, currency: "USD" });
    orders.seed({ provider: "moyasar", id: "other", amount: 300, currency: "SAR" });
    // Seeding an id again replaces that order where it was.
    orders.seed({ provider: "moyasar", id: "same-id", amount: 150, currency: "SAR" });
    expect(orders.get("moyasar", "same-id")?.amount).toBe(150);
    expect(orders.get("sezzle", "same-id")?.amount).toBe(200);
    expect(orders.get("optty", "same-id")).toBeUndefined();
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(orders.get(name as MockProvider, "same-id"), name).toBeUndefined();
    }
    expect(orders.list().map((order) => [order.provider, order.id, order.amount])).toEqual([
      ["moyasar", "same-id", 150],
      ["sezzle", "same-id", 200],
      ["moyasar", "other", 300],
    ]);
    orders.reset();
    expect(orders.list()).toEqual([]);
    expect(orders.get("sezzle", "same-id")).toBeUndefined();
  });
});
