import { expectTypeOf, test } from "vitest";
import { routes } from "../src/specs.js";

test("routes carry the spec's literal path types (a spec change breaks them)", () => {
  expectTypeOf(routes.sezzle.refund.path).toEqualTypeOf<"/v2/order/{order_uuid}/refund">();
  expectTypeOf(routes.sezzle.auth.path).toEqualTypeOf<"/v2/authentication">();
  expectTypeOf(routes.optty.refund.path).toEqualTypeOf<"/orders/{orderReference}/refund">();
  expectTypeOf(routes.optty.token.path).toEqualTypeOf<"/token">();
  expectTypeOf(routes.levelup.refund.path).toEqualTypeOf<"/v14/orders/{uuid}/refund">();
  expectTypeOf(routes.moyasar.refund.path).toEqualTypeOf<"/v1/orders/{id}/refund">();
  expectTypeOf(routes.briqpay.refund.path).toEqualTypeOf<"/session/{sessionId}/order/refund">();
});
