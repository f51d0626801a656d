import type { components } from "./generated/openapi.js";

/** A Briqpay cart line: the generated regular item | US sales-tax line union. */
export type BriqpayLine = components["schemas"]["CartItem"];

/** The amounts a refund's `data.order` carries, integer minor units. */
export interface BriqpayTotals {
  amountIncVat: number;
  amountExVat: number;
}

/**
 * `numerator / denominator` rounded half up (ties toward +infinity, as the mock does), for a
 * positive denominator, in exact integer arithmetic.
 */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const twice = 2n * numerator + denominator;
  const divisor = 2n * denominator;
  // BigInt division truncates toward zero; floor it.
  const quotient = twice / divisor;
  return twice % divisor !== 0n && twice < 0n ? quotient - 1n : quotient;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} is beyond the largest exact integer`);
  }
  return Number(value);
}

/**
 * The totals a cart adds up to, exactly, in integer arithmetic (https://github.com/refundkit/refundkit/blob/main/docs/provider-behaviour.md):
 * - regular line: gross = quantity x unitPrice; ex-VAT = gross - (gross x discountPercentage /
 *   10000, rounded half up); VAT = ex-VAT x taxRate / 10000, rounded half up; inc-VAT = ex + VAT;
 * - `sales_tax` line: adds `totalTaxAmount` to the inc-VAT total only.
 * Rates are basis points (2500 = 25%). Lines are expected to be validated integers; a total
 * beyond Number.MAX_SAFE_INTEGER throws a RangeError.
 */
export function briqpayCartTotals(cart: readonly BriqpayLine[]): BriqpayTotals {
  let exVat = 0n;
  let incVat = 0n;
  for (const line of cart) {
    if (line.productType === "sales_tax") {
      incVat += BigInt(line.totalTaxAmount);
      continue;
    }
    const gross = BigInt(line.quantity) * BigInt(line.unitPrice);
    const lineEx = gross - divideHalfUp(gross * BigInt(line.discountPercentage ?? 0), 10_000n);
    const vat = divideHalfUp(lineEx * BigInt(line.taxRate), 10_000n);
    exVat += lineEx;
    incVat += lineEx + vat;
  }
  return {
    amountIncVat: toSafeNumber(incVat, "amountIncVat"),
    amountExVat: toSafeNumber(exVat, "amountExVat"),
  };
}
