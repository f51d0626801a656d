import { expect } from "vitest";
import {
  createSpecValidator,
  documents,
  type MockBaseUrls,
  type MockCredentials,
  type MockProvider,
  mockCredentials,
  type SpecValidator,
} from "../src/index.js";

export const validators: Record<MockProvider, SpecValidator> = {
  sezzle: createSpecValidator(documents.sezzle),
  optty: createSpecValidator(documents.optty),
  levelup: createSpecValidator(documents.levelup),
  moyasar: createSpecValidator(documents.moyasar),
  briqpay: createSpecValidator(documents.briqpay),
};

export interface Answer {
  status: number;
  /** Parsed JSON, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  text: string;
  headers: Headers;
}

export async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** Asserts the answer validates against the spec's schema for its status (and that it is documented). */
export function expectValid(provider: MockProvider, operationId: string, result: Answer): void {
  const validation = validators[provider].validateResponse(operationId, result.status, result.body);
  expect(validation, `${provider} ${operationId} ${result.status}: ${result.text}`).toEqual({
    valid: true,
  });
}

/** A client speaking each provider's raw wire format. */
export function wire(baseUrls: MockBaseUrls, credentials: MockCredentials = mockCredentials) {
  const json = (body: unknown) => JSON.stringify(body);
  return {
    async sezzleAuth(
      keys = {
        public_key: credentials.sezzle.publicKey,
        private_key: credentials.sezzle.privateKey,
      },
    ) {
      return answer(
        await fetch(`${baseUrls.sezzle}/v2/authentication`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: json(keys),
        }),
      );
    },
    async sezzleToken(): Promise<string> {
      const result = await this.sezzleAuth();
      return (result.body as { token: string }).token;
    },
    async sezzleRefund(
      orderId: string,
      body: unknown,
      options: { token?: string; requestId?: string; raw?: string } = {},
    ) {
      const token = options.token ?? (await this.sezzleToken());
      return answer(
        await fetch(`${baseUrls.sezzle}/v2/order/${encodeURIComponent(orderId)}/refund`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${token}`,
            ...(options.requestId === undefined ? {} : { "Sezzle-Request-Id": options.requestId }),
          },
          body: options.raw ?? json(body),
        }),
      );
    },
    async opttyAuth(
      form: Record<string, string> = {
        client_id: credentials.optty.clientId,
        client_secret: credentials.optty.clientSecret,
        grant_type: "client_credentials",
        scope: "api-user",
      },
    ) {
      return answer(
        await fetch(`${baseUrls.opttyAuth}/token`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(form).toString(),
        }),
      );
    },
    async opttyToken(): Promise<string> {
      return ((await this.opttyAuth()).body as { access_token: string }).access_token;
    },
    async opttyRefund(
      orderId: string,
      body: unknown,
      options: { token?: string; raw?: string } = {},
    ) {
      const token = options.token ?? (await this.opttyToken());
      return answer(
        await fetch(`${baseUrls.optty}/orders/${encodeURIComponent(orderId)}/refund`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: options.raw ?? json(body),
        }),
      );
    },
    async levelupRefund(orderId: string, body?: unknown, options: { authorization?: string } = {}) {
      return answer(
        await fetch(`${baseUrls.levelup}/v14/orders/${encodeURIComponent(orderId)}/refund`, {
          method: "POST",
          headers: {
            Accept: "application/json",
            "Content-Type": "application/json",
            Authorization: options.authorization ?? `token ${credentials.levelup.token}`,
          },
          ...(body === undefined ? {} : { body: json(body) }),
        }),
      );
    },
    async moyasarRefund(
      orderId: string,
      body: unknown,
      options: { authorization?: string | null; raw?: string } = {},
    ) {
      const authorization =
        options.authorization === undefined
          ? `Bearer ${credentials.moyasar.apiKey}`
          : options.authorization;
      return answer(
        await fetch(`${baseUrls.moyasar}/v1/orders/${encodeURIComponent(orderId)}/refund`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            ...(authorization === null ? {} : { Authorization: authorization }),
          },
          body: options.raw ?? json(body),
        }),
      );
    },
    /** GET /v2/order/{order_uuid} (Sezzle's order lookup). */
    async sezzleOrder(orderId: string, options: { token?: string } = {}) {
      const token = options.token ?? (await this.sezzleToken());
      return answer(
        await fetch(`${baseUrls.sezzle}/v2/order/${encodeURIComponent(orderId)}`, {
          headers: { Authorization: `Bearer ${token}` },
        }),
      );
    },
    /** POST /orders/{merchantReference}/details (Optty's Transaction Details, no body). */
    async opttyDetails(orderId: string, options: { token?: string } = {}) {
      const token = options.token ?? (await this.opttyToken());
      return answer(
        await fetch(`${baseUrls.optty}/orders/${encodeURIComponent(orderId)}/details`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        }),
      );
    },
    /** GET /v14/merchants/{merchantId}/orders/{uuid} (LevelUp's merchant order details). */
    async levelupOrder(merchantId: number | string, orderId: string) {
      return answer(
        await fetch(
          `${baseUrls.levelup}/v14/merchants/${merchantId}/orders/${encodeURIComponent(orderId)}`,
          {
            headers: {
              Accept: "application/json",
              Authorization: `token ${credentials.levelup.token}`,
            },
          },
        ),
      );
    },
    /** GET /v3/session/{sessionId} (Briqpay's session read). */
    async briqpaySession(
      sessionId: string,
      options: { authorization?: string; fields?: string } = {},
    ) {
      const basic = btoa(`${credentials.briqpay.username}:${credentials.briqpay.secret}`);
      const query = options.fields === undefined ? "" : `?fields=${options.fields}`;
      return answer(
        await fetch(`${baseUrls.briqpay}/session/${encodeURIComponent(sessionId)}${query}`, {
          headers: {
            Accept: "application/json",
            Authorization: options.authorization ?? `Basic ${basic}`,
          },
        }),
      );
    },
    async briqpayRefund(
      sessionId: string,
      body: unknown,
      options: { authorization?: string; raw?: string } = {},
    ) {
      const basic = btoa(`${credentials.briqpay.username}:${credentials.briqpay.secret}`);
      return answer(
        await fetch(`${baseUrls.briqpay}/session/${encodeURIComponent(sessionId)}/order/refund`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            Authorization: options.authorization ?? `Basic ${basic}`,
          },
          body: options.raw ?? json(body),
        }),
      );
    },
  };
}

/** A Briqpay refund of a plain amount, sent as one adjustment line (as the adapter does). */
export function briqpayAmount(amount: number, currency = "SEK", captureId?: string) {
  return {
    ...(captureId === undefined ? {} : { captureId }),
    data: {
      order: {
        amountIncVat: amount,
        amountExVat: amount,
        currency,
        cart: [
          {
            productType: "adjustment",
            name: "Refund",
            quantity: 1,
            quantityUnit: "pc",
            unitPrice: amount,
            taxRate: 0,
          },
        ],
      },
    },
  };
}

export const SESSION = "c5674f4f-7e84-405c-a44b-c83736bb7209";
