import type { BaseRefundRequest, RefundResult } from "@refundkit/core";
import { describe, expectTypeOf, it } from "vitest";
import type {
  components,
  MoyasarConfig,
  MoyasarRefundRequest,
  moyasarAdapter,
  operations,
  paths,
} from "../src/index.js";

type Op = operations["RefundOrder"];
type Body = Op["requestBody"]["content"]["application/json"];

describe("moyasar types", () => {
  it("the refund body has a required integer amount and an optional transaction_id", () => {
    expectTypeOf<paths["/v1/orders/{id}/refund"]["post"]>().toEqualTypeOf<Op>();
    expectTypeOf<Op["parameters"]["path"]>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<Body>().toEqualTypeOf<{ amount: number; transaction_id?: string }>();
    expectTypeOf<Body["amount"]>().toEqualTypeOf<number>();
  });

  it("the 200 is the order with its transactions; errors are {message}", () => {
    type Ok = Op["responses"][200]["content"]["application/json"];
    expectTypeOf<Ok["refunded_amount"]>().toEqualTypeOf<number>();
    expectTypeOf<Ok["transactions"][number]["id"]>().toEqualTypeOf<string>();
    expectTypeOf<components["schemas"]["ErrorMessage"]["message"]>().toEqualTypeOf<string>();
  });

  it("the request type adds transactionId; the config needs an apiKey", () => {
    expectTypeOf<MoyasarRefundRequest>().toExtend<BaseRefundRequest>();
    expectTypeOf<MoyasarRefundRequest["transactionId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<MoyasarConfig>().toHaveProperty("apiKey");
    type Connected = ReturnType<(typeof moyasarAdapter)["connect"]>;
    expectTypeOf<Awaited<ReturnType<Connected["refund"]>>>().toEqualTypeOf<
      RefundResult<"moyasar">
    >();
  });
});
