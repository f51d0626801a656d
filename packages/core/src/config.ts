import { type RefundError, refundError } from "./errors.js";
import { Secret } from "./redact.js";
import type { Environment, ProviderName } from "./types.js";

/*
 * Config checks shared by the provider clients. Each throws RefundError("invalid_request") naming
 * the field, never retryable, and never echoes a value: a mistyped URL or key may be a credential.
 */

/** The RefundError of a bad config or option: invalid_request, no status, not retryable. */
export function configError(provider: ProviderName, message: string): RefundError {
  return refundError(provider, "invalid_request", message);
}

/**
 * `value` (named `field`) as an absolute http(s) URL without credentials, a query or a fragment
 * (a query or fragment would swallow the paths appended to it), with trailing slashes trimmed.
 */
export function assertHttpUrl(provider: ProviderName, field: string, value: unknown): string {
  let url: URL;
  try {
    if (typeof value !== "string") throw new TypeError();
    url = new URL(value);
  } catch {
    throw configError(provider, `${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(provider, `${field} must be an absolute http(s) URL`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw configError(provider, `${field} must not contain credentials, a query or a fragment`);
  }
  return value.replace(/\/+$/, "");
}

/** Where a client talks to: one of the spec's servers, or an explicit base URL. */
export interface HostConfig {
  /** "sandbox" or "production"; checked even when `baseUrl` is given. undefined = not given. */
  environment?: unknown;
  /** Wins over `environment`. undefined = not given. */
  baseUrl?: unknown;
}

/**
 * The base URL: `baseUrl` when given (see `assertHttpUrl`), else `servers[environment]`. There is
 * no default: without either, live money would be one typo away.
 */
export function resolveBaseUrl(
  provider: ProviderName,
  config: HostConfig,
  servers: Readonly<Record<Environment, string>>,
): string {
  const { environment, baseUrl } = config;
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    throw configError(provider, 'environment must be "sandbox" or "production"');
  }
  if (baseUrl !== undefined) return assertHttpUrl(provider, "baseUrl", baseUrl);
  if (environment === undefined) {
    throw configError(
      provider,
      'environment ("sandbox" | "production") or baseUrl is required; there is no default to live',
    );
  }
  return servers[environment];
}

/** An optional string field: undefined or null means not given; anything else must be non-empty. */
export function optionalString(
  provider: ProviderName,
  field: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw configError(provider, `${field} must be a non-empty string when given`);
  }
  return value;
}

/**
 * A required credential: a non-empty string or Secret, returned as a Secret. `description` is
 * added to the "is required" message, e.g. "the merchant access token".
 */
export function requireSecret(
  provider: ProviderName,
  field: string,
  value: unknown,
  description?: string,
): Secret {
  const required = `${field} is required${description === undefined ? "" : ` (${description})`}`;
  if (value === undefined || value === null || value === "") throw configError(provider, required);
  if (!(value instanceof Secret) && typeof value !== "string") {
    throw configError(provider, `${field} must be a string`);
  }
  const secret = Secret.from(value);
  if (secret.reveal() === "") throw configError(provider, required);
  return secret;
}

/**
 * A credential that goes into the Authorization header must be visible ASCII: anything else
 * would be refused by `Headers` with the value in its message, or split the header.
 */
export function assertHeaderSafe(provider: ProviderName, field: string, secret: Secret): void {
  if (!/^[\x21-\x7E]+$/.test(secret.reveal())) {
    throw configError(
      provider,
      `${field} must be visible ASCII without spaces (it is sent in the Authorization header)`,
    );
  }
}

/**
 * A static bearer token, or a pair of credentials that tokens are fetched with (and then the
 * given token, if any, is used first: say one cached from an earlier process).
 */
export type TokenOrPair<K extends string> =
  | { kind: "token"; token: Secret }
  | { kind: "pair"; pair: Record<K, Secret>; token?: Secret };

/**
 * `token` (sent as is in the Authorization header), or both `first` and `second` (say
 * publicKey and privateKey), or all three: the token is used until it is refused, then the pair
 * fetches a new one. Each is an optional non-empty string; never neither, never half a pair.
 */
export function resolveTokenOrPair<A extends string, B extends string>(
  provider: ProviderName,
  config: Partial<Record<"token" | A | B, unknown>>,
  first: A,
  second: B,
): TokenOrPair<A | B> {
  const token = optionalString(provider, "token", config.token);
  const a = optionalString(provider, first, config[first]);
  const b = optionalString(provider, second, config[second]);
  const secret = token === undefined ? undefined : new Secret(token);
  if (secret !== undefined) assertHeaderSafe(provider, "token", secret);
  if (secret !== undefined && a === undefined && b === undefined) {
    return { kind: "token", token: secret };
  }
  if (a === undefined && b === undefined) {
    throw configError(provider, `credentials are required: token, or ${first} and ${second}`);
  }
  if (a === undefined) throw configError(provider, `${first} is required with ${second}`);
  if (b === undefined) throw configError(provider, `${second} is required with ${first}`);
  const pair = { [first]: new Secret(a), [second]: new Secret(b) } as Record<A | B, Secret>;
  return secret === undefined ? { kind: "pair", pair } : { kind: "pair", pair, token: secret };
}
