export {
  type BriqpayClientOptions,
  type BriqpayConfig,
  type BriqpayLine,
  type BriqpayRefundRequest,
  createBriqpayClient,
} from "@refundkit/briqpay";

export {
  type BaseRefundRequest,
  type Capabilities,
  type Environment,
  isRefundError,
  type LifecycleCapabilities,
  minorToMajor,
  PROVIDERS,
  type ProviderName,
  RefundError,
  type RefundErrorCode,
  type RefundResult,
  type RetrievedOrder,
  type RetrievedRefund,
  type RetrievedRefundStatus,
  type TransportOptions,
  type WebhookEvent,
  type WebhookHeaders,
  type WebhookInput,
} from "@refundkit/core";
export {
  createLevelUpClient,
  type LevelUpClientOptions,
  type LevelUpConfig,
  type LevelUpRefundRequest,
} from "@refundkit/levelup";
export {
  createMoyasarClient,
  type MoyasarClientOptions,
  type MoyasarConfig,
  type MoyasarRefundRequest,
} from "@refundkit/moyasar";
export {
  createOpttyClient,
  type OpttyClientOptions,
  type OpttyConfig,
  type OpttyRefundRequest,
} from "@refundkit/optty";
export {
  createSezzleClient,
  type SezzleClientOptions,
  type SezzleConfig,
  type SezzleRefundRequest,
} from "@refundkit/sezzle";
export type {
  FinalRefund,
  ReconcileRequest,
  ReconcileResult,
  RetrieveRequest,
  WaitOptions,
} from "./lifecycle.js";
export {
  createRefunds,
  type RefundRequest,
  type Refunds,
  type RefundsConfig,
  type RefundsOptions,
} from "./refunds.js";
