/**
 * What each kind of refused input costs (issue 8: "a bad input refused before any request: under
 * 2 us"), one case per rule that refuses before a request is built, through the built facade.
 * Each case: 20,000 refusals to warm up, then the median of 5 rounds of 20,000. Absolute times
 * move with the host's speed; compare the cases with each other (and with `bench/compare.ts`'s
 * async-throw reference).
 *
 * Run after a build: `npx tsx bench/refusals.ts`.
 */
import { root } from "./sezzle-reference.js";

const { createRefunds } = (await import(
  `${root}packages/refundkit/dist/index.mjs`
)) as typeof import("../packages/refundkit/src/index.js");

const refunds = createRefunds(
  {
    sezzle: { baseUrl: "https://sezzle.test", token: "tok" },
    optty: { baseUrl: "https://optty.test", token: "tok" },
    levelup: { baseUrl: "https://levelup.test", token: "tok" },
    moyasar: { baseUrl: "https://moyasar.test", apiKey: "sk_test_1" },
    briqpay: { baseUrl: "https://briqpay.test", username: "u", secret: "s" },
  },
  {
    fetch: async () => {
      throw new Error("a refused input must not be sent");
    },
  },
);

const cases: Record<string, unknown> = {
  "a path-changing order id": {
    provider: "sezzle",
    orderId: "../admin",
    amount: 1,
    currency: "USD",
  },
  "a float amount": { provider: "sezzle", orderId: "o1", amount: 1.5, currency: "USD" },
  "a negative amount": { provider: "optty", orderId: "o1", amount: -1, currency: "USD" },
  "LevelUp with an amount": { provider: "levelup", orderId: "1", amount: 100, currency: "USD" },
  "an unknown currency": { provider: "moyasar", orderId: "o1", amount: 100, currency: "XYZ" },
  "a Briqpay id not a UUID": { provider: "briqpay", orderId: "nope", amount: 1, currency: "SEK" },
  "an unknown provider": { provider: "stripe", orderId: "o1" },
  "a request not an object": null,
};

console.log(`Node.js ${process.version}, ${process.platform} ${process.arch}\n`);
console.log("| refused input | per call | code | message |\n| --- | ---: | --- | --- |");
for (const [name, request] of Object.entries(cases)) {
  let refusal: { code?: string; message?: string } | undefined;
  const round = async (n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      await refunds.refund(request as never).catch((error: typeof refusal) => {
        refusal = error;
      });
    }
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  await round(20_000);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) times.push(await round(20_000));
  times.sort((a, b) => a - b);
  const message = String(refusal?.message).slice(0, 60);
  console.log(`| ${name} | ${times[2]?.toFixed(2)} us | ${refusal?.code} | ${message}... |`);
}
