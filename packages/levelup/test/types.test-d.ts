import type { BaseRefundRequest, RefundResult } from "@refundkit/core";
import { describe, expectTypeOf, it } from "vitest";
import type {
  components,
  LevelUpConfig,
  LevelUpRefundRequest,
  levelupAdapter,
  operations,
  paths,
} from "../src/index.js";

type Op = operations["RefundOrder"];

describe("levelup types", () => {
  it("the refund path takes the order uuid and an optional {refund: {manager_confirmation?}}", () => {
    expectTypeOf<paths["/v14/orders/{uuid}/refund"]["post"]>().toEqualTypeOf<Op>();
    expectTypeOf<Op["parameters"]["path"]>().toEqualTypeOf<{ uuid: string }>();
    expectTypeOf<components["schemas"]["RefundRequest"]["refund"]>().toEqualTypeOf<{
      manager_confirmation?: string;
    }>();
    // No amount anywhere in the request: LevelUp refunds whole orders.
    expectTypeOf<components["schemas"]["RefundDetails"]>().not.toHaveProperty("amount");
  });

  it("the 200 is {order} with refunded_at and integer-cent amounts", () => {
    type Ok = Op["responses"][200]["content"]["application/json"];
    expectTypeOf<Ok["order"]["refunded_at"]>().toEqualTypeOf<string>();
    expectTypeOf<Ok["order"]["total_amount"]>().toEqualTypeOf<number>();
    type Err = Op["responses"][422]["content"]["application/json"];
    expectTypeOf<Err[number]["error"]["property"]>().toEqualTypeOf<string>();
  });

  it("the request type adds managerConfirmation to the base request", () => {
    expectTypeOf<LevelUpRefundRequest>().toExtend<BaseRefundRequest>();
    expectTypeOf<LevelUpRefundRequest["managerConfirmation"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<LevelUpConfig["token"]>().not.toBeAny();
    type Connected = ReturnType<(typeof levelupAdapter)["connect"]>;
    expectTypeOf<Awaited<ReturnType<Connected["refund"]>>>().toEqualTypeOf<
      RefundResult<"levelup">
    >();
  });
});
