/**
 * What every mock lookup shares: the order as the ledger has it now, and times as the providers
 * write them.
 */
import { bearerToken } from "../bodies.js";
import type { MockContext } from "../context.js";
import type { OrderState } from "../ledger.js";
import type { MockRequest } from "../request.js";
import type { MockProvider } from "../types.js";

/** An epoch-millisecond time as ISO 8601 text. */
export { isoMillis as iso } from "../time.js";

/** The order, its due refunds settled first (so a lookup sees what a refund call would). */
export function orderOf(
  context: MockContext,
  provider: MockProvider,
  id: string,
): OrderState | undefined {
  const order = context.ledger.find(provider, id);
  if (order !== undefined) context.ledger.tick(order);
  return order;
}

/** Whether the request's bearer token is one the provider's token endpoint issued and still valid. */
export function hasValidToken(
  context: MockContext,
  provider: "sezzle" | "optty",
  request: MockRequest,
): boolean {
  const token = bearerToken(request);
  return token !== undefined && context.tokens.check(provider, token) === "valid";
}
