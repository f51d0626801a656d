import { describe, expect, it } from "vitest";
import { documents, type MockProvider, mockCredentials } from "../src/index.js";
import { type Answer, briqpayAmount, expectValid, SESSION, validators } from "./helpers.js";
import { useMock } from "./setup.js";

const { mock, client } = useMock();

/** Every status each spec documents, per operation. */
function documented(provider: MockProvider): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const operationId of validators[provider].operationIds) {
    pairs.push(
      ...statusesOf(provider, operationId).map((status): [string, string] => [operationId, status]),
    );
  }
  return pairs;
}

function statusesOf(provider: MockProvider, operationId: string): string[] {
  const paths = (
    documents[provider] as {
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>;
    }
  ).paths;
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId === operationId) return Object.keys(operation.responses ?? {});
    }
  }
  return [];
}

/** Drives the mock into one documented answer, from the outside, in the wire format. */
const scenarios: Record<MockProvider, Record<string, Record<string, () => Promise<Answer>>>> = {
  sezzle: {
    PostAuthentication: {
      "200": () => client.sezzleAuth(),
      "401": () => client.sezzleAuth({ public_key: "wrong", private_key: "wrong" }),
    },
    HandleRefundAmountByOrder: {
      "200": async () => {
        mock.orders.seed({ provider: "sezzle", id: "sz-1", amount: 5000, currency: "USD" });
        return client.sezzleRefund("sz-1", { amount_in_cents: 1000, currency: "USD" });
      },
      "400": () => client.sezzleRefund("sz-1", { amount_in_cents: "ten", currency: "USD" }),
      "401": () =>
        client.sezzleRefund("sz-1", { amount_in_cents: 1, currency: "USD" }, { token: "nope" }),
      "404": () => client.sezzleRefund("missing", { amount_in_cents: 1, currency: "USD" }),
      "422": async () => {
        mock.orders.seed({ provider: "sezzle", id: "sz-2", amount: 500, currency: "USD" });
        return client.sezzleRefund("sz-2", { amount_in_cents: 501, currency: "USD" });
      },
    },
    GetV2Order: {
      "200": async () => {
        mock.orders.seed({ provider: "sezzle", id: "sz-3", amount: 5000, currency: "USD" });
        await client.sezzleRefund("sz-3", { amount_in_cents: 1000, currency: "USD" });
        return client.sezzleOrder("sz-3");
      },
      "401": () => client.sezzleOrder("sz-3", { token: "nope" }),
      "404": () => client.sezzleOrder("missing"),
    },
  },
  optty: {
    PostToken: {
      "200": () => client.opttyAuth(),
      "401": () =>
        client.opttyAuth({
          client_id: "x",
          client_secret: "y",
          grant_type: "client_credentials",
          scope: "api-user",
        }),
    },
    RefundsController_refundOrder: {
      "200": async () => {
        mock.orders.seed({ provider: "optty", id: "op-1", amount: 2498, currency: "AUD" });
        const body = {
          refundReference: "r-200",
          refundAmount: { amount: 1, currency: "AUD" },
          refundDescription: "x",
        };
        await client.opttyRefund("op-1", body);
        return client.opttyRefund("op-1", body);
      },
      "201": async () => {
        mock.orders.seed({ provider: "optty", id: "op-2", amount: 2498, currency: "AUD" });
        return client.opttyRefund("op-2", {
          refundReference: "r-201",
          refundAmount: { amount: 24.98, currency: "AUD" },
          refundDescription: "Refund",
        });
      },
      "400": async () => {
        mock.orders.seed({ provider: "optty", id: "op-3", amount: 2498, currency: "AUD" });
        return client.opttyRefund("op-3", {
          refundReference: "r-400",
          refundAmount: { amount: 30, currency: "AUD" },
          refundDescription: "Refund",
        });
      },
      "401": () => client.opttyRefund("op-1", {}, { token: "expired-or-unknown" }),
      "404": () =>
        client.opttyRefund("nope", {
          refundReference: "r-404",
          refundAmount: { amount: 1, currency: "AUD" },
          refundDescription: "Refund",
        }),
      "500": async () => {
        mock.faults.inject({ provider: "optty", kind: "http_500" });
        return client.opttyRefund("op-1", {});
      },
    },
    TransactionDetails: {
      "200": async () => {
        mock.orders.seed({ provider: "optty", id: "op-4", amount: 2498, currency: "AUD" });
        await client.opttyRefund("op-4", {
          refundReference: "r-details",
          refundAmount: { amount: 2.4, currency: "AUD" },
          refundDescription: "Refund",
        });
        return client.opttyDetails("op-4");
      },
      "401": () => client.opttyDetails("op-4", { token: "expired-or-unknown" }),
      "404": () => client.opttyDetails("nope"),
    },
  },
  levelup: {
    RefundOrder: {
      "200": async () => {
        mock.orders.seed({
          provider: "levelup",
          id: "393b75b0806011e29e960800200c9a66",
          amount: 500,
        });
        return client.levelupRefund("393b75b0806011e29e960800200c9a66");
      },
      "404": () => client.levelupRefund("unknown-order"),
      "422": async () => {
        mock.orders.seed({
          provider: "levelup",
          id: "lu-2",
          amount: 500,
          managerConfirmation: "87168",
        });
        return client.levelupRefund("lu-2", { refund: { manager_confirmation: "00000" } });
      },
    },
    GetMerchantOrder: {
      "200": async () => {
        mock.orders.seed({ provider: "levelup", id: "lu-3", amount: 500, merchantId: 3225 });
        await client.levelupRefund("lu-3");
        return client.levelupOrder(3225, "lu-3");
      },
      "404": async () => {
        mock.orders.seed({ provider: "levelup", id: "lu-4", amount: 500, merchantId: 3225 });
        // Another merchant's order is not found.
        return client.levelupOrder(34, "lu-4");
      },
    },
  },
  moyasar: {
    RefundOrder: {
      "200": async () => {
        mock.orders.seed({ provider: "moyasar", id: "mpg-1", amount: 262346, currency: "SAR" });
        return client.moyasarRefund("mpg-1", { amount: 1000, transaction_id: crypto.randomUUID() });
      },
      "400": async () => {
        mock.orders.seed({
          provider: "moyasar",
          id: "mpg-2",
          amount: 1000,
          currency: "SAR",
          processingMs: 150,
        });
        const body = { amount: 100, transaction_id: crypto.randomUUID() };
        const first = client.moyasarRefund("mpg-2", body);
        await new Promise((resolve) => setTimeout(resolve, 30));
        const second = await client.moyasarRefund("mpg-2", body);
        await first;
        return second;
      },
      "401": () => client.moyasarRefund("mpg-1", { amount: 1 }, { authorization: null }),
      "403": () =>
        client.moyasarRefund(
          "mpg-1",
          { amount: 1 },
          { authorization: "Bearer pk_test_publishable" },
        ),
      "404": () => client.moyasarRefund("mpg-missing", { amount: 1 }),
      "422": () => client.moyasarRefund("mpg-1", { amount: 0 }),
    },
  },
  briqpay: {
    RefundOrder: {
      "201": async () => {
        mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
        return client.briqpayRefund(SESSION, briqpayAmount(1000));
      },
      "400": async () => {
        mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
        return client.briqpayRefund(SESSION, briqpayAmount(3001));
      },
      "403": () =>
        client.briqpayRefund(SESSION, briqpayAmount(1), {
          authorization: `Basic ${btoa("who:wrong")}`,
        }),
    },
    ReadSession: {
      "200": async () => {
        mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
        await client.briqpayRefund(SESSION, briqpayAmount(1000));
        return client.briqpaySession(SESSION);
      },
      "204": async () => {
        mock.orders.seed({ provider: "briqpay", id: SESSION, amount: 3000, currency: "SEK" });
        return client.briqpaySession(SESSION, { fields: "none" });
      },
      "400": () => client.briqpaySession("5d3c0f2e-0000-4000-8000-000000000000"),
      "403": () => client.briqpaySession(SESSION, { authorization: `Basic ${btoa("who:wrong")}` }),
    },
  },
};

describe("every documented status of every provider validates against its spec", () => {
  for (const provider of Object.keys(scenarios) as MockProvider[]) {
    const cases = documented(provider);
    it(`${provider}: a scenario exists for each documented status`, () => {
      const covered = Object.entries(scenarios[provider]).flatMap(([operationId, byStatus]) =>
        Object.keys(byStatus).map((status) => `${operationId} ${status}`),
      );
      expect(covered.sort()).toEqual(
        cases.map(([operationId, status]) => `${operationId} ${status}`).sort(),
      );
    });
    for (const [operationId, status] of cases) {
      it(`${provider} ${operationId} ${status}`, async () => {
        const run = scenarios[provider][operationId]?.[status];
        expect(run, "scenario").toBeTypeOf("function");
        const result = await (run as () => Promise<Answer>)();
        expect(result.status).toBe(Number(status));
        expectValid(provider, operationId, result);
      });
    }
  }
});

it("uses the documented default credentials", () => {
  expect(mock.credentials).toEqual(mockCredentials);
});
