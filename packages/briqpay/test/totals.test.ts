import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BriqpayLine, briqpayCartTotals } from "../src/index.js";

const line = (overrides: Partial<Extract<BriqpayLine, { quantity: number }>>): BriqpayLine => ({
  productType: "physical",
  name: "Item",
  quantity: 1,
  quantityUnit: "pc",
  unitPrice: 0,
  taxRate: 0,
  ...overrides,
});

describe("briqpayCartTotals", () => {
  it("adds up the documented 201 example: 2 x 1200 at 25% = 2400 ex, 3000 inc, plus sales tax", () => {
    const example = JSON.parse(
      readFileSync(
        new URL("../../../specs/briqpay/examples/RefundOrder.201.json", import.meta.url),
        "utf8",
      ),
    ) as { cart: BriqpayLine[] };
    const regular = example.cart.filter((l) => l.productType !== "sales_tax");
    expect(briqpayCartTotals(regular)).toEqual({ amountIncVat: 3000, amountExVat: 2400 });
    // The example's sales_tax line (1200) adds to the inc-VAT total only.
    expect(briqpayCartTotals(example.cart)).toEqual({ amountIncVat: 4200, amountExVat: 2400 });
  });

  it("rounds the discount and the VAT half up, per line", () => {
    // gross 3 x 333 = 999; 10% discount = 99.9 -> 100; ex 899; VAT 25% = 224.75 -> 225.
    expect(
      briqpayCartTotals([
        line({ quantity: 3, unitPrice: 333, discountPercentage: 1000, taxRate: 2500 }),
      ]),
    ).toEqual({ amountExVat: 899, amountIncVat: 1124 });
    // Exact halves go up: 1 x 2 at 25% VAT = 0.5 -> 1; 1 x 1 with 50% discount = 0.5 -> 1 off.
    expect(briqpayCartTotals([line({ unitPrice: 2, taxRate: 2500 })])).toEqual({
      amountExVat: 2,
      amountIncVat: 3,
    });
    expect(briqpayCartTotals([line({ unitPrice: 1, discountPercentage: 5000 })])).toEqual({
      amountExVat: 0,
      amountIncVat: 0,
    });
  });

  it("rounds negative (discount) lines half up too, toward +infinity on exact halves", () => {
    // -2 at 25% VAT: -0.5 -> 0 (half up), as the mock computes it.
    expect(
      briqpayCartTotals([line({ productType: "discount", unitPrice: -2, taxRate: 2500 })]),
    ).toEqual({
      amountExVat: -2,
      amountIncVat: -2,
    });
    expect(
      briqpayCartTotals([
        line({ unitPrice: 10_000, quantity: 2, taxRate: 2500 }),
        line({ productType: "discount", unitPrice: -1_000, taxRate: 2500 }),
        line({ productType: "shipping_fee", unitPrice: 4_900, taxRate: 1200 }),
      ]),
      // 20000 + 5000 VAT, -1000 - 250 VAT, 4900 + 588 VAT.
    ).toEqual({ amountExVat: 23_900, amountIncVat: 29_238 });
  });

  it("is exact beyond 2^53 intermediates and refuses totals that are not safe integers", () => {
    // 9e15 x 1 at 25%: the intermediate ex x taxRate is ~2.25e19, far past 2^53.
    expect(briqpayCartTotals([line({ unitPrice: 4_000_000_000_000_001, taxRate: 2500 })])).toEqual({
      amountExVat: 4_000_000_000_000_001,
      amountIncVat: 5_000_000_000_000_001,
    });
    expect(() =>
      briqpayCartTotals([line({ unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 })]),
    ).toThrow(RangeError);
  });
});
