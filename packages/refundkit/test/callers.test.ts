/**
 * The facade connects each provider's adapter and lookup over `create<P>Caller` (core's JSON
 * sender) instead of `create<P>Client` (openapi-fetch), so that its bundle carries no
 * openapi-fetch. Both must send the same requests and read the same answers: here every
 * provider's refund and lookup runs over both, against the same scripted answers, and the
 * requests (method, URL, headers, body) and the outcomes (result or error) must be equal.
 */
import {
  briqpayAdapterWith,
  briqpayLookupWith,
  createBriqpayCaller,
  createBriqpayClient,
} from "@refundkit/briqpay";
import type {
  BaseRefundRequest,
  ProviderAdapter,
  ProviderLookup,
  ProviderName,
} from "@refundkit/core/internal";
import {
  createLevelUpCaller,
  createLevelUpClient,
  levelupAdapterWith,
  levelupLookupWith,
} from "@refundkit/levelup";
import { createMoyasarCaller, createMoyasarClient, moyasarAdapterWith } from "@refundkit/moyasar";
import {
  createOpttyCaller,
  createOpttyClient,
  opttyAdapterWith,
  opttyLookupWith,
} from "@refundkit/optty";
import {
  createSezzleCaller,
  createSezzleClient,
  sezzleAdapterWith,
  sezzleLookupWith,
} from "@refundkit/sezzle";
import { describe, expect, it } from "vitest";

const SESSION = "0b4c3f3e-8f3a-4c55-9d57-0f6a3c1d2e10";

/** An answer: status, body text and headers (a token call always gets a token). */
interface Answer {
  status: number;
  body: string | null;
  headers?: Record<string, string>;
}

const ANSWERS: Record<string, Answer> = {
  "200 JSON": { status: 200, body: '{"uuid":"r-1","transaction_id":"k-1","refundId":"r-1"}' },
  "201 JSON": { status: 201, body: '{"refundId":"r-2","status":"pending","amountIncVat":500}' },
  "204 empty": { status: 204, body: null },
  "200 Content-Length 0": { status: 200, body: "", headers: { "content-length": "0" } },
  "422 JSON error": { status: 422, body: '[{"code":"x","message":"amount exceeds refundable"}]' },
  "400 JSON error": { status: 400, body: '{"message":"bad","error":{"code":"INVALID_DATA"}}' },
  "500 text error": { status: 500, body: "upstream broke" },
  "404 empty error": { status: 404, body: "", headers: { "content-length": "0" } },
};

interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** A fetch answering token calls with a token and everything else with `answer`. */
function recorder(answer: Answer): { fetch: typeof globalThis.fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: await request.text(),
    });
    if (/\/(token|authentication)$/.test(new URL(request.url).pathname)) {
      return Response.json({ token: "t-1", access_token: "t-1", expires_in: 3600 });
    }
    return new Response(answer.body, {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  };
  return { fetch, seen };
}

/** The outcome of a call, comparable across the two senders. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: await run() };
  } catch (error) {
    const { code, message, status, raw, retryable } = error as Record<string, unknown>;
    return { error: { code, message, status, raw, retryable } };
  }
}

type AnyAdapter = ProviderAdapter<ProviderName, unknown, BaseRefundRequest>;
type AnyLookup = ProviderLookup<ProviderName, unknown>;

/** The same provider's adapter or lookup over the client and over the caller. */
function both<T>(overClient: T, overCaller: T): [never, never] {
  return [overClient, overCaller] as [never, never];
}

interface Case {
  name: string;
  config: Record<string, unknown>;
  request: Record<string, unknown>;
  adapters: [AnyAdapter, AnyAdapter];
  lookups?: [AnyLookup, AnyLookup];
}

const cases: Case[] = [
  {
    name: "sezzle",
    config: { baseUrl: "https://sezzle.test", publicKey: "pk", privateKey: "sk" },
    request: { orderId: "o-1", amount: 500, currency: "USD", idempotencyKey: "k-1" },
    adapters: both(sezzleAdapterWith(createSezzleClient), sezzleAdapterWith(createSezzleCaller)),
    lookups: both(sezzleLookupWith(createSezzleClient), sezzleLookupWith(createSezzleCaller)),
  },
  {
    name: "optty",
    config: { baseUrl: "https://optty.test", clientId: "id", clientSecret: "secret" },
    request: { orderId: "o-1", amount: 500, currency: "USD", idempotencyKey: "k-1" },
    adapters: both(opttyAdapterWith(createOpttyClient), opttyAdapterWith(createOpttyCaller)),
    lookups: both(opttyLookupWith(createOpttyClient), opttyLookupWith(createOpttyCaller)),
  },
  {
    name: "levelup",
    config: { baseUrl: "https://levelup.test", token: "t", merchantId: 7 },
    request: { orderId: "o-1", managerConfirmation: "m" },
    adapters: both(
      levelupAdapterWith(createLevelUpClient),
      levelupAdapterWith(createLevelUpCaller),
    ),
    lookups: both(levelupLookupWith(createLevelUpClient), levelupLookupWith(createLevelUpCaller)),
  },
  {
    name: "moyasar",
    config: { baseUrl: "https://moyasar.test", apiKey: "key" },
    request: { orderId: "o-1", amount: 500, currency: "SAR", idempotencyKey: "k-1" },
    adapters: both(
      moyasarAdapterWith(createMoyasarClient),
      moyasarAdapterWith(createMoyasarCaller),
    ),
  },
  {
    name: "briqpay",
    config: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
    request: { orderId: SESSION, amount: 500, currency: "SEK" },
    adapters: both(
      briqpayAdapterWith(createBriqpayClient),
      briqpayAdapterWith(createBriqpayCaller),
    ),
    lookups: both(briqpayLookupWith(createBriqpayClient), briqpayLookupWith(createBriqpayCaller)),
  },
];

describe.each(cases)("$name: the caller sends and reads as the openapi-fetch client", (c) => {
  it.each(Object.keys(ANSWERS))("refund, answered %s", async (name) => {
    const runs = await Promise.all(
      c.adapters.map(async (adapter) => {
        const { fetch, seen } = recorder(ANSWERS[name] as Answer);
        const connected = adapter.connect(c.config, { fetch, maxRetries: 0 });
        const result = await outcome(() =>
          connected.refund(c.request as unknown as BaseRefundRequest),
        );
        return { result, seen };
      }),
    );
    const [client, caller] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(client.seen.length).toBeGreaterThan(0);
    expect(caller).toEqual(client);
  });
});

// MPG documents no lookup (its `moyasarLookup` refuses without a request): no client to compare.
describe.each(cases.filter((c) => c.lookups !== undefined))(
  "$name: the caller looks up as the openapi-fetch client",
  (c) => {
    it.each(Object.keys(ANSWERS))("lookup, answered %s", async (name) => {
      const runs = await Promise.all(
        (c.lookups ?? []).map(async (lookup) => {
          const { fetch, seen } = recorder(ANSWERS[name] as Answer);
          const connected = lookup.connect(c.config, { fetch, maxRetries: 0 });
          const result = await outcome(() => connected.retrieve(c.request.orderId as string));
          return { result, seen };
        }),
      );
      const [client, caller] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(client.seen.length).toBeGreaterThan(0);
      expect(caller).toEqual(client);
    });
  },
);
