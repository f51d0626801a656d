import type { BaseRefundRequest, RefundResult } from "@refundkit/core";
import { describe, expectTypeOf, it } from "vitest";
import type {
  BriqpayConfig,
  BriqpayLine,
  BriqpayRefundRequest,
  briqpayAdapter,
  components,
  operations,
  paths,
} from "../src/index.js";

type Op = operations["RefundOrder"];
type Body = Op["requestBody"]["content"]["application/json"];
type Regular = Extract<BriqpayLine, { quantity: number }>;
type SalesTax = Extract<BriqpayLine, { productType: "sales_tax" }>;

describe("briqpay types", () => {
  it("the refund path is relative to /v3 and takes the session id", () => {
    expectTypeOf<paths["/session/{sessionId}/order/refund"]["post"]>().toEqualTypeOf<Op>();
    expectTypeOf<Op["parameters"]["path"]>().toEqualTypeOf<{ sessionId: string }>();
    expectTypeOf<Body["captureId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Body["data"]["order"]["amountIncVat"]>().toEqualTypeOf<number>();
    expectTypeOf<Body["data"]["order"]["cart"]>().toEqualTypeOf<BriqpayLine[]>();
  });

  it("a cart line is a regular item | sales-tax union with integer prices", () => {
    expectTypeOf<BriqpayLine>().toEqualTypeOf<components["schemas"]["CartItem"]>();
    expectTypeOf<Regular["unitPrice"]>().toEqualTypeOf<number>();
    expectTypeOf<Regular["productType"]>().toEqualTypeOf<
      "physical" | "digital" | "discount" | "shipping_fee" | "deposit" | "surcharge" | "adjustment"
    >();
    expectTypeOf<Regular["discountPercentage"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SalesTax["totalTaxAmount"]>().toEqualTypeOf<number>();
  });

  it("the 201 carries a refundId and a pending | approved | rejected status", () => {
    type Created = Op["responses"][201]["content"]["application/json"];
    expectTypeOf<Created["refundId"]>().toEqualTypeOf<string>();
    expectTypeOf<Created["status"]>().toEqualTypeOf<"pending" | "approved" | "rejected">();
  });

  it("the request and config types", () => {
    expectTypeOf<BriqpayRefundRequest>().toExtend<BaseRefundRequest>();
    expectTypeOf<BriqpayRefundRequest["cart"]>().toEqualTypeOf<BriqpayLine[] | undefined>();
    expectTypeOf<BriqpayConfig["username"]>().toEqualTypeOf<string>();
    type Connected = ReturnType<(typeof briqpayAdapter)["connect"]>;
    expectTypeOf<Awaited<ReturnType<Connected["refund"]>>>().toEqualTypeOf<
      RefundResult<"briqpay">
    >();
  });
});
