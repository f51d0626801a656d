// First, before anything imports msw: see the module.
import "./deno-broadcast-channel.js";

export { briqpayCartTotals } from "@refundkit/briqpay";
export { type MockCredentials, type MockCredentialsInput, mockCredentials } from "./credentials.js";
export {
  FAULT_KINDS,
  type FaultEndpoint,
  type FaultKind,
  type FaultSpec,
  type MockFaults,
  type PendingFault,
} from "./faults.js";
export {
  createMockHandlers,
  createMockProviders,
  defaultBaseUrls,
  type MockOptions,
  type MockProviders,
} from "./handlers.js";
export type {
  BriqpayCapture,
  BriqpayCartLine,
  MockOrder,
  MockOrders,
  MockRefund,
  MockRefundStatus,
  SeedOrder,
} from "./ledger.js";
export {
  createSpecValidator,
  type HeaderSource,
  type SpecValidator,
  type ValidationResult,
} from "./openapi/validator.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./server.js";
export { documents } from "./specs.js";
export { type Clock, MOCK_PROVIDERS, type MockBaseUrls, type MockProvider } from "./types.js";
export {
  MOCK_WEBHOOK_FAULTS,
  type MockHookRegistration,
  type MockWebhookDelivery,
  type MockWebhookEvent,
  type MockWebhookFault,
  type MockWebhookProvider,
  type MockWebhooks,
} from "./webhooks.js";
