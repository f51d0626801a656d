import type { MockCredentials } from "./credentials.js";
import type { FaultController } from "./faults.js";
import type { Ledger } from "./ledger.js";
import type { PreparedSpecValidator } from "./openapi/validator.js";
import type { TokenStore } from "./tokens.js";
import type { Clock, MockProvider } from "./types.js";

/** What every provider's handlers share: one ledger, fault queue, clock and token store. */
export interface MockContext {
  ledger: Ledger;
  faults: FaultController;
  credentials: MockCredentials;
  clock: Clock;
  tokens: TokenStore;
  tokenTtlSeconds: { sezzle: number; optty: number };
  validators: Record<MockProvider, PreparedSpecValidator>;
}
