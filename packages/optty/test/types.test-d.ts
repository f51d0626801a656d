import type { BaseRefundRequest } from "@refundkit/core";
import { describe, expectTypeOf, it } from "vitest";
import type { components, OpttyRefundRequest, operations } from "../src/index.js";

type Dto = components["schemas"]["OrderRefundDto"];
type RefundResponse = components["schemas"]["RefundResponse"];

describe("generated types after the overlay", () => {
  it("refundAmount.amount is a number, currency a string, both required", () => {
    expectTypeOf<components["schemas"]["OrderRefundAmount"]>().toEqualTypeOf<{
      amount: number;
      currency: string;
    }>();
    expectTypeOf<Dto["refundAmount"]>().toExtend<{ amount: number; currency: string }>();
  });

  it("isActivatedViaOAuth is optional; the other request fields required", () => {
    expectTypeOf<Pick<Dto, "isActivatedViaOAuth">>().toEqualTypeOf<{
      isActivatedViaOAuth?: boolean;
    }>();
    expectTypeOf<{
      refundReference: string;
      refundAmount: { amount: number; currency: string };
      refundDescription: string;
    }>().toExtend<Dto>();
    expectTypeOf<{ refundReference: string; refundDescription: string }>().not.toExtend<Dto>();
  });

  it("the response is what the server sends: bnplProvider string, refundedAmount number", () => {
    expectTypeOf<RefundResponse["bnplProvider"]>().toEqualTypeOf<string>();
    expectTypeOf<RefundResponse["refundedAmount"]>().toEqualTypeOf<number>();
    expectTypeOf<operations["RefundsController_refundOrder"]["responses"]>().toHaveProperty(201);
  });

  it("OpttyRefundRequest adds nothing to the shared request", () => {
    expectTypeOf<OpttyRefundRequest>().toEqualTypeOf<BaseRefundRequest>();
  });
});
