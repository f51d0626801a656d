import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { levelupLookup, levelupMerchantId, toRetrieved } from "../src/index.js";

const example = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../../specs/levelup/examples/${name}`, import.meta.url), "utf8"),
  );

describe("toRetrieved (merchant order details)", () => {
  it("a refunded order is one succeeded refund of total_amount, at refunded_at", () => {
    expect(toRetrieved("123b", example("GetMerchantOrder.200.json"))).toMatchObject({
      refundedAmount: 5,
      refunds: [
        {
          refundId: null,
          amount: 5,
          currency: "USD",
          status: "succeeded",
          createdAt: "2014-01-01T00:00:00-04:00",
        },
      ],
    });
  });

  it("refunded_at null: no refunds (the v15 example, which has no amounts)", () => {
    const order = toRetrieved("123b", example("GetMerchantOrder.200.not-refunded-v15.json"));
    expect(order?.refunds).toEqual([]);
    expect(order?.refundedAmount).toBe(0);
  });

  it("merchantId: a positive integer or numeric string; anything else refused by name", () => {
    expect(levelupMerchantId(3225)).toBe(3225);
    expect(levelupMerchantId("34")).toBe(34);
    expect(levelupMerchantId(undefined)).toBeUndefined();
    for (const bad of ["0", "-1", "12a", 1.5, "../1", ""]) {
      expect(() => levelupMerchantId(bad)).toThrow(/merchantId/);
    }
    expect(() =>
      levelupLookup.connect({ environment: "sandbox", token: "t", merchantId: "x" }),
    ).toThrow(/merchantId/);
  });
});
