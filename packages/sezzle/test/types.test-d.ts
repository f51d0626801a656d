import type { BaseRefundRequest } from "@refundkit/core";
import { describe, expectTypeOf, it } from "vitest";
import type { components, operations, paths, SezzleRefundRequest } from "../src/index.js";

type RefundBody = NonNullable<
  operations["HandleRefundAmountByOrder"]["requestBody"]
>["content"]["application/json"];

describe("generated types after the overlay", () => {
  it("the refund body requires amount_in_cents: number and currency: string", () => {
    expectTypeOf<RefundBody>().toEqualTypeOf<{ amount_in_cents: number; currency: string }>();
    expectTypeOf<components["schemas"]["Price"]>().toEqualTypeOf<{
      amount_in_cents: number;
      currency: string;
    }>();
    // Optional fields would make `{}` assignable; required ones do not.
    expectTypeOf<Record<string, never>>().not.toExtend<RefundBody>();
  });

  it("the path parameter and the idempotency header are typed", () => {
    type Params = operations["HandleRefundAmountByOrder"]["parameters"];
    expectTypeOf<Params["path"]>().toEqualTypeOf<{ order_uuid: string }>();
    expectTypeOf<NonNullable<Params["header"]>>().toEqualTypeOf<{ "Sezzle-Request-Id"?: string }>();
    expectTypeOf<paths>().toHaveProperty("/v2/authentication");
  });

  it("SezzleRefundRequest adds nothing to the shared request", () => {
    expectTypeOf<SezzleRefundRequest>().toEqualTypeOf<BaseRefundRequest>();
  });
});
