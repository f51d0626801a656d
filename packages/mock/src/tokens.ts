/**
 * The bearer tokens Sezzle and Optty hand out, on the mock's clock. Issued by each provider's
 * token endpoint and checked on its refund endpoint.
 */
import type { Clock } from "./types.js";

export interface TokenStore {
  issue(provider: "sezzle" | "optty", ttlSeconds: number): { token: string; expiresAt: number };
  /** "valid", "expired" (known but past its expiry on the mock's clock) or "unknown". */
  check(provider: "sezzle" | "optty", token: string): "valid" | "expired" | "unknown";
}

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function createTokenStore(clock: Clock): TokenStore {
  const tokens = new Map<string, { provider: "sezzle" | "optty"; expiresAt: number }>();
  return {
    issue(provider, ttlSeconds) {
      const now = clock();
      const expiresAt = now + ttlSeconds * 1000;
      // JWT-shaped (both providers hand out JWTs); the signature is random, nothing verifies it.
      const token = [
        base64url(JSON.stringify({ alg: "HS256", typ: "JWT" })),
        base64url(
          JSON.stringify({
            iss: `refundkit-mock-${provider}`,
            iat: Math.floor(now / 1000),
            exp: Math.floor(expiresAt / 1000),
            jti: crypto.randomUUID(),
          }),
        ),
        base64url(crypto.randomUUID()),
      ].join(".");
      tokens.set(token, { provider, expiresAt });
      return { token, expiresAt };
    },
    check(provider, token) {
      const entry = tokens.get(token);
      if (entry === undefined || entry.provider !== provider) return "unknown";
      return entry.expiresAt > clock() ? "valid" : "expired";
    },
  };
}
