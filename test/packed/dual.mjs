// The dual-package hazard: one process loads both builds (require -> CJS, import -> ESM). A
// RefundError thrown by either must be recognised by the other's isRefundError and instanceof.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as esm from "refundkit";

const cjs = createRequire(import.meta.url)("refundkit");
// Two distinct classes, or this test proves nothing.
assert.notEqual(cjs.RefundError, esm.RefundError, "the CJS and ESM builds are separate copies");

async function refusal(facade) {
  const refunds = facade.createRefunds({
    moyasar: { environment: "sandbox", apiKey: "sk_test_x" },
  });
  try {
    await refunds.refund({ provider: "moyasar", orderId: "../x", amount: 1, currency: "SAR" });
  } catch (error) {
    return error;
  }
  assert.fail("an invalid order id must be refused");
}

const fromCjs = await refusal(cjs);
const fromEsm = await refusal(esm);
for (const [error, other, name] of [
  [fromCjs, esm, "CJS error, ESM checks"],
  [fromEsm, cjs, "ESM error, CJS checks"],
]) {
  assert.ok(other.isRefundError(error), `${name}: isRefundError`);
  assert.ok(error instanceof other.RefundError, `${name}: instanceof`);
  assert.equal(error.code, "invalid_request");
}
assert.equal(esm.isRefundError(new Error("x")), false);
console.log("dual package: ok (CJS<->ESM RefundError recognised both ways)");
