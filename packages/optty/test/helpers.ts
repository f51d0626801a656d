import { HttpResponse, http } from "msw";

export const API = "https://api.qa.optty.com";
export const AUTH = "https://auth.qa.optty.com";
export const REFUND_URL = `${API}/orders/:order/refund`;

export const CLIENT_ID = "client-id-TEST-4f1c2b7e";
export const CLIENT_SECRET = "client-secret-TEST-s3cr3t";

/** A /token handler issuing `jwt-1`, `jwt-2`, ... that records the form bodies it got. */
export function tokenIssuer(base = AUTH, expiresIn = 86400) {
  const state = { calls: 0, bodies: [] as string[], contentTypes: [] as (string | null)[] };
  const handler = http.post(`${base}/token`, async ({ request }) => {
    state.calls += 1;
    state.bodies.push(await request.text());
    state.contentTypes.push(request.headers.get("content-type"));
    return HttpResponse.json({
      access_token: `jwt-${state.calls}`,
      expires_in: expiresIn,
      token_type: "Bearer",
    });
  });
  return { state, handler };
}

/** The documented 200 body ("200 Refund Successfully", https://docs.optty.com/api-references/refund-order). */
export const REFUND_OK = {
  refundReference: "TgEHcPtpN2HSrTMK-0-00",
  bnplProvider: "KLARNA_AU",
  refundedAmount: 100,
  refundStatus: "SUCCESSFUL",
  description: {},
  refundDate: "Fri, 08 Oct 2021 06:22:20 GMT",
  bnplRefundId: "8ba78198-bc4c-48ae-9040-57c687bed51d",
};
