import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { opttyWebhooks, toRetrieved } from "../src/index.js";

const example = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../../specs/optty/examples/${name}`, import.meta.url), "utf8"),
  );

describe("toRetrieved (Transaction Details)", () => {
  it('maps the documented sample: "240" AUD is 24000 minor units, SUCCESSFUL', () => {
    expect(
      toRetrieved("PLANPAY-0000-760-729", example("TransactionDetails.200.json")),
    ).toMatchObject({
      currency: "AUD",
      refundedAmount: 24000,
      refunds: [
        {
          refundId: "PLANPAY-0000-760-729",
          amount: 24000,
          currency: "AUD",
          status: "succeeded",
          createdAt: "2024-02-28T05:38:18.438Z",
        },
      ],
    });
  });

  it("uses each currency's exponent, and reads PENDING / DECLINED", () => {
    const order = toRetrieved("o", {
      merchantReference: "o",
      status: "SUCCESSFUL",
      currency: "KWD",
      refunds: [
        { refundId: "a", amount: "1.25", currency: "KWD", status: "PENDING" },
        { refundId: "b", amount: "0.5", currency: "JPY", status: "DECLINED" },
        { refundId: "c", amount: "10.10", currency: "KWD", status: "SUCCESSFUL" },
      ],
    });
    expect(order?.refunds.map(({ amount, status }) => ({ amount, status }))).toEqual([
      { amount: 1250, status: "pending" },
      { amount: null, status: "failed" }, // 0.5 JPY is not a whole yen: no amount made up
      { amount: 10100, status: "succeeded" },
    ]);
    expect(order?.refundedAmount).toBe(10100);
  });

  it("webhooks: none documented, verify refuses with unsupported", async () => {
    expect(opttyWebhooks.kind).toBe("none");
    await expect(
      opttyWebhooks.verify({ headers: {}, body: "{}" }, {} as never),
    ).rejects.toMatchObject({ code: "unsupported" });
  });
});
