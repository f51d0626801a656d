/**
 * The providers' documented lookups, answered from the same ledger as the refunds: a refund the
 * mock took is listed at once, a pending one with its status until it settles. One module per
 * provider in ./lookups/, as the refund rules are in ./providers/.
 */
import type { RequestHandler } from "msw";
import type { MockContext } from "./context.js";
import { briqpayLookupHandler } from "./lookups/briqpay.js";
import { levelupLookupHandler } from "./lookups/levelup.js";
import { opttyLookupHandler } from "./lookups/optty.js";
import { sezzleLookupHandler } from "./lookups/sezzle.js";
import type { MockBaseUrls } from "./types.js";

/** msw handlers for every documented lookup (MPG documents none). */
export function lookupHandlers(context: MockContext, baseUrls: MockBaseUrls): RequestHandler[] {
  return [
    sezzleLookupHandler(context, baseUrls.sezzle),
    opttyLookupHandler(context, baseUrls.optty),
    levelupLookupHandler(context, baseUrls.levelup),
    briqpayLookupHandler(context, baseUrls.briqpay),
  ];
}
