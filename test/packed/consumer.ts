// A TypeScript user of the published packages. run.mjs copies it to consumer.mts and consumer.cts
// and compiles it (strict, noEmit) with moduleResolution node16 (the .d.mts and .d.cts) and
// bundler. A type that stops resolving, or loses precision, fails the compile.

import { createMockHandlers, type MockServer, startMockServer } from "@refundkit/mock";
import { createSezzleClient } from "@refundkit/sezzle";
import {
  type BriqpayRefundRequest,
  createRefunds,
  isRefundError,
  type LevelUpRefundRequest,
  type MoyasarRefundRequest,
  type OpttyRefundRequest,
  type ProviderName,
  RefundError,
  type RefundErrorCode,
  type RefundRequest,
  type RefundResult,
  type SezzleRefundRequest,
} from "refundkit";

const sezzle: SezzleRefundRequest = { orderId: "o-1", amount: 1_500, currency: "USD" };
const optty: OpttyRefundRequest = { orderId: "o-2", amount: 100, currency: "AUD", reason: "late" };
const levelup: LevelUpRefundRequest = { orderId: "o-3", managerConfirmation: "1234" };
const moyasar: MoyasarRefundRequest = {
  orderId: "o-4",
  amount: 2_500,
  currency: "SAR",
  transactionId: "tx-1",
};
const briqpay: BriqpayRefundRequest = { orderId: "o-5", amount: 1_000, currency: "SEK" };

const requests: RefundRequest[] = [
  { provider: "sezzle", ...sezzle },
  { provider: "optty", ...optty },
  { provider: "levelup", ...levelup },
  { provider: "moyasar", ...moyasar },
  { provider: "briqpay", ...briqpay },
];

// @ts-expect-error: managerConfirmation belongs to LevelUp requests only
const wrong: RefundRequest = { provider: "sezzle", orderId: "o", managerConfirmation: "1" };

function describe(error: unknown): string {
  if (isRefundError(error)) {
    const code: RefundErrorCode = error.code;
    const provider: ProviderName = error.provider;
    const status: number | null = error.status;
    const retry: boolean = error.retryable;
    return `${provider} ${code} ${status ?? "-"} ${retry}`;
  }
  if (error instanceof RefundError) return error.code;
  return String(error);
}

export async function run(server: MockServer): Promise<string[]> {
  const refunds = createRefunds(
    {
      sezzle: { baseUrl: server.baseUrls.sezzle, ...server.credentials.sezzle },
      levelup: { environment: "sandbox", token: "t" },
    },
    { timeoutMs: 5_000 },
  );
  const out: string[] = [];
  for (const request of requests) {
    try {
      const result = await refunds.refund(request);
      const amount: number | null = result.amount;
      out.push(`${result.provider} ${result.status} ${amount ?? "-"}`);
    } catch (error) {
      out.push(describe(error));
    }
  }
  const typed: RefundResult<"sezzle"> = await refunds.refund({ provider: "sezzle", ...sezzle });
  const provider: "sezzle" = typed.provider;
  out.push(provider, String(wrong));
  return out;
}

export const client = createSezzleClient({ environment: "sandbox", token: "t" });
export const handlers = createMockHandlers().handlers;
export const start: typeof startMockServer = startMockServer;
