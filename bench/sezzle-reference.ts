/**
 * What bench/compare.ts and bench/profile.ts measure refundkit against, written once so that
 * every side sends the same request: a Sezzle refund of 25.00 USD on one order, with a cached
 * token. Also the built facade, the in-memory fetch both sides share, and the local keep-alive
 * server (bench/server.ts, another process).
 */
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = fileURLToPath(new URL("../", import.meta.url));

/** The built facade (`pnpm bench` builds first). */
export const { createRefunds } = (await import(
  pathToFileURL(`${root}packages/refundkit/dist/index.mjs`).href
)) as typeof import("../packages/refundkit/src/index.js");

/** The part of openapi-fetch's client used here (the package is a dependency of the providers). */
export interface BareClient {
  POST(
    path: string,
    init: {
      params: { path: Record<string, string>; header: Record<string, string> };
      body: unknown;
    },
  ): Promise<{ data?: unknown }>;
}
const requireFromSezzle = createRequire(`${root}packages/sezzle/package.json`);
/** openapi-fetch's `createClient`, as the provider packages resolve it. */
export const { default: createClient } = (await import(
  pathToFileURL(requireFromSezzle.resolve("openapi-fetch")).href
)) as { default: (options: { baseUrl: string; fetch: typeof fetch }) => BareClient };

export const ORDER = "4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const TOKEN_BODY = JSON.stringify({ token: "tok", expiration_date: "2099-01-01T00:00:00Z" });
const REFUND_BODY = JSON.stringify({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c" });

/** The same in-memory answer for every side: a new Response per request, as a server gives. */
export const memoryFetch: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  const body = url.endsWith("/v2/authentication") ? TOKEN_BODY : REFUND_BODY;
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
};

/** Starts bench/server.ts in its own process; resolves with its base URL and a stop function. */
export async function startServer(): Promise<{ baseUrl: string; stop: () => void }> {
  const server = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve) =>
    server.once("message", (m) => resolve(Number(m))),
  );
  return { baseUrl: `http://127.0.0.1:${port}`, stop: () => server.kill() };
}

/** Raw `fetch` sending the refund (`key`: its Sezzle-Request-Id) and reading the JSON answer. */
export async function rawRefund(baseUrl: string, key: string, order = ORDER): Promise<unknown> {
  const response = await fetch(`${baseUrl}/v2/order/${order}/refund`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "sezzle-request-id": key,
      authorization: "Bearer tok",
    },
    body: JSON.stringify({ amount_in_cents: 2500, currency: "USD" }),
  });
  return response.json();
}

/** What a hand-written openapi-fetch call sends: the same headers, body and JSON read. */
export async function bareRefund(client: BareClient, key: string, order = ORDER): Promise<void> {
  const { data } = await client.POST("/v2/order/{order_uuid}/refund", {
    params: {
      path: { order_uuid: order },
      header: { "Sezzle-Request-Id": key, Authorization: "Bearer tok" },
    },
    body: { amount_in_cents: 2500, currency: "USD" },
  });
  if (data === undefined) throw new Error("no data");
}
