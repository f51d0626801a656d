import { HttpResponse, http } from "msw";

export const API = "https://sandbox.gateway.sezzle.com";
export const REFUND_URL = `${API}/v2/order/:order/refund`;
export const AUTH_URL = `${API}/v2/authentication`;

export const PUBLIC_KEY = "sz_pub_TEST_PUBLIC_abc123";
export const PRIVATE_KEY = "sz_pr_TEST_PRIVATE_xyz789";

/** An auth handler that issues `tok-1`, `tok-2`, ... and counts calls. */
export function tokenIssuer(lifetimeMs = 2 * 60 * 60_000, base = API) {
  const state = { calls: 0, bodies: [] as unknown[] };
  const handler = http.post(`${base}/v2/authentication`, async ({ request }) => {
    state.calls += 1;
    state.bodies.push(await request.json());
    return HttpResponse.json({
      token: `tok-${state.calls}`,
      expiration_date: new Date(Date.now() + lifetimeMs).toISOString(),
      merchant_uuid: "3b1a3f4c-9c0e-4b8e-9f3e-2a7d1c5b6e80",
    });
  });
  return { state, handler };
}

export const REFUND_OK = { uuid: "6c9db5d4-d09a-4224-860a-b5438ac32ca8" };
