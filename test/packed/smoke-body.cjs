// The packed-package smoke: runs against the installed tarballs, loaded by smoke.cjs (require),
// smoke.mjs (import) or smoke-deno.mjs (npm: specifiers). It receives the loaded modules so the
// same checks run whatever loaded them. Plain JavaScript: it must run unchanged on Node 20-26,
// Bun and Deno.
"use strict";
const assert = require("node:assert/strict");
const { randomUUID } = require("node:crypto");

const PROVIDERS = ["sezzle", "optty", "levelup", "moyasar", "briqpay"];
const FACTORY = {
  sezzle: "createSezzleClient",
  optty: "createOpttyClient",
  levelup: "createLevelUpClient",
  moyasar: "createMoyasarClient",
  briqpay: "createBriqpayClient",
};
const CURRENCY = { sezzle: "USD", optty: "AUD", levelup: "USD", moyasar: "SAR", briqpay: "SEK" };

/** A fresh order id of the shape each provider's spec routes. */
function orderId(provider) {
  const uuid = randomUUID();
  if (provider === "levelup") return uuid.replaceAll("-", "");
  if (provider === "optty") return `smoke-${uuid.slice(0, 8)}`;
  return uuid;
}

/** A refund request for `provider` on a freshly seeded order: partial where the provider allows. */
function seedAndRequest(orders, provider) {
  const id = orderId(provider);
  orders.seed({ provider, id, amount: 5_000, currency: CURRENCY[provider] });
  // LevelUp refunds are full refunds only (no amount): https://developer.thelevelup.com/
  if (provider === "levelup") return { orderId: id };
  return { orderId: id, amount: 1_234, currency: CURRENCY[provider] };
}

function checkResult(result, provider, request) {
  assert.equal(result.provider, provider);
  assert.equal(result.orderId, request.orderId);
  assert.ok(["succeeded", "pending"].includes(result.status), `${provider}: ${result.status}`);
  if (request.amount !== undefined) assert.equal(result.amount, request.amount, provider);
}

function checkLedger(orders, provider, request) {
  const order = orders.get(provider, request.orderId);
  assert.ok(order, `${provider}: order in the ledger`);
  assert.equal(order.refunds.length, 1, `${provider}: exactly one refund recorded`);
  if (request.amount !== undefined) assert.equal(order.refunds[0].amount, request.amount);
}

/**
 * @param {object} m the loaded modules: { refundkit, core, mock, cli, providers: {sezzle, ...},
 *   pkgJson: {name -> package.json loaded through the "./package.json" subpath}, mswNode? }
 * @param {string} label e.g. "node v22.23.3 require"
 */
async function smoke(m, label) {
  const steps = [];
  const step = (name) => steps.push(name);

  // Every export the packages promise, from this build.
  for (const [name, json] of Object.entries(m.pkgJson)) assert.equal(json.name, name);
  assert.equal(typeof m.refundkit.createRefunds, "function");
  assert.equal(typeof m.refundkit.isRefundError, "function");
  assert.equal(typeof m.core.RefundError, "function");
  assert.equal(m.refundkit.RefundError, m.core.RefundError, "facade re-exports core's class");
  for (const p of PROVIDERS) {
    assert.equal(typeof m.providers[p][FACTORY[p]], "function", `${p} client factory`);
    assert.equal(typeof m.refundkit[FACTORY[p]], "function", `facade re-exports ${p}`);
    assert.equal(typeof m.providers[p][`${p}Adapter`].connect, "function", `${p}Adapter`);
  }
  assert.equal(typeof m.mock.startMockServer, "function");
  assert.equal(typeof m.mock.createMockHandlers, "function");
  assert.equal(typeof m.cli.main, "function");
  assert.equal(typeof m.cli.createProgram, "function");
  step("exports");

  const server = await m.mock.startMockServer({ port: 0, host: "127.0.0.1" });
  try {
    const { baseUrls, credentials, orders } = server;
    const config = Object.fromEntries(
      PROVIDERS.map((p) => [p, { baseUrl: baseUrls[p], ...credentials[p] }]),
    );

    // One refund per provider through the facade, over HTTP to the mock.
    const refunds = m.refundkit.createRefunds(config, { timeoutMs: 5_000, maxRetries: 1 });
    for (const provider of PROVIDERS) {
      const request = seedAndRequest(orders, provider);
      const result = await refunds.refund({ provider, ...request });
      checkResult(result, provider, request);
      checkLedger(orders, provider, request);
    }
    step("facade refund x5");

    // One refund per provider package alone (its adapter over its own openapi-fetch client).
    for (const provider of PROVIDERS) {
      const adapter = m.providers[provider][`${provider}Adapter`].connect(config[provider], {
        timeoutMs: 5_000,
      });
      const request = seedAndRequest(orders, provider);
      const result = await adapter.refund(request);
      checkResult(result, provider, request);
      checkLedger(orders, provider, request);
    }
    step("provider packages refund x5");

    // Errors: refused before sending, as a RefundError this build recognises.
    const before = orders.list().reduce((n, o) => n + o.refunds.length, 0);
    await assert.rejects(
      refunds.refund({ provider: "sezzle", orderId: "../admin", amount: 1, currency: "USD" }),
      (error) => {
        assert.ok(m.refundkit.isRefundError(error), "isRefundError");
        assert.ok(error instanceof m.core.RefundError, "instanceof");
        assert.equal(error.code, "invalid_request");
        return true;
      },
    );
    // The provider's own refusal, mapped: over-refund on a seeded MPG order.
    const over = seedAndRequest(orders, "moyasar");
    await assert.rejects(
      refunds.refund({ provider: "moyasar", ...over, amount: 999_999 }),
      (error) => m.refundkit.isRefundError(error) && error.code === "amount_exceeds_refundable",
    );
    const after = orders.list().reduce((n, o) => n + o.refunds.length, 0);
    assert.equal(after, before, "no refund recorded for refused requests");
    step("errors");
  } finally {
    await server.close();
  }

  // The msw handlers in-process (whichever msw major is installed), no HTTP server. Skipped only
  // where run.mjs says the msw major cannot intercept that runtime's fetch (msw 3 on Deno).
  if (process.env.REFUNDKIT_SMOKE_NO_INTERCEPT === "1") {
    step(`msw ${m.mswVersion} in-process interception skipped (not supported here)`);
  } else {
    const mocked = m.mock.createMockHandlers();
    const msw = m.mswNode.setupServer(...mocked.handlers);
    msw.listen({ onUnhandledRequest: "error" });
    try {
      const refunds = m.refundkit.createRefunds(
        Object.fromEntries(
          PROVIDERS.map((p) => [p, { environment: "sandbox", ...mocked.credentials[p] }]),
        ),
      );
      for (const provider of PROVIDERS) {
        const request = seedAndRequest(mocked.orders, provider);
        const result = await refunds.refund({ provider, ...request });
        checkResult(result, provider, request);
        checkLedger(mocked.orders, provider, request);
      }
    } finally {
      msw.close();
    }
    step(`msw ${m.mswVersion} handlers x5`);
  }
  return `${label}: ok (${steps.join(", ")})`;
}

module.exports = { smoke };
