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
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw configError(provider, `${field} must be an absolute http(s) URL`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw configError(provider, `${field} must not contain credentials, a query or a fragment`);
  }
  return (value as string).replace(/\/+$/, "");
}

/** Where a client talks to: one of the spec's servers, or an explicit base URL. */
export interface HostConfig {
  /** "sandbox" or "production"; checked even when `baseUrl` is given. undefined = not given. */
  environment?: unknown;
  /** Wins over `environment`. undefined = not given. */
  baseUrl?: unknown;
}

/** A version segment such as `v2`, `v14` or `v3` (optionally `v2.1`). */
const VERSION_SEGMENT = /^v\d+(\.\d+)?$/i;

/**
 * Where a provider's API version segment lives: at the start of every spec path (Sezzle `/v2`,
 * LevelUp `/v14`, MPG `/v1`) or at the end of its servers (Briqpay `/v3`). undefined when neither
 * (Optty: no version in its URLs).
 */
export interface ApiVersion {
  /** The segment without slashes, e.g. "v2". */
  segment: string;
  in: "paths" | "base";
}

/**
 * The API version of a spec: the last segment every server URL ends in, else the first segment
 * every path starts with, when it looks like a version (`v2`); else undefined. refundkit's
 * generator runs it once per spec and writes the answer into each provider package's generated
 * spec data (`apiVersion`), so the clients do not bundle it.
 */
export function apiVersionOf(
  servers: Readonly<Record<string, string>>,
  paths: readonly string[],
): ApiVersion | undefined {
  const lastSegments = new Set(
    Object.values(servers).map((url) => new URL(url).pathname.split("/").filter(Boolean).at(-1)),
  );
  const [last] = lastSegments;
  if (lastSegments.size === 1 && last !== undefined && VERSION_SEGMENT.test(last)) {
    return { segment: last, in: "base" };
  }
  const firstSegments = new Set(paths.map((path) => path.split("/").filter(Boolean)[0]));
  const [first] = firstSegments;
  if (firstSegments.size === 1 && first !== undefined && VERSION_SEGMENT.test(first)) {
    return { segment: first, in: "paths" };
  }
  return undefined;
}

/**
 * An explicit base URL (already checked by `assertHttpUrl`) made to fit the spec's paths, the
 * same way for every provider: given with or without the API version segment, with or without a
 * trailing slash, it ends up as the spec's servers do (without the segment when the paths start
 * with it, with it when the servers end with it). A URL ending in another version segment would
 * reach a wrong path, so it is refused with RefundError("invalid_request").
 */
export function normalizeBaseUrl(
  provider: ProviderName,
  field: string,
  url: string,
  version: ApiVersion | undefined,
): string {
  const trimmed = url.replace(/\/+$/, "");
  if (version === undefined) return trimmed;
  const parsed = new URL(trimmed);
  const segments = parsed.pathname.split("/").filter(Boolean);
  const last = segments.at(-1);
  const endsInVersion = last !== undefined && VERSION_SEGMENT.test(last);
  if (endsInVersion && last.toLowerCase() !== version.segment.toLowerCase()) {
    throw configError(
      provider,
      `${field} ends in /${last.slice(0, 10)}, but ${provider}'s API is /${version.segment}: give the API root, with or without /${version.segment}`,
    );
  }
  if (version.in === "paths") {
    // The spec's paths start with the version: a base URL that has it too would double it.
    return endsInVersion ? trimmed.slice(0, trimmed.length - last.length - 1) : trimmed;
  }
  return endsInVersion ? trimmed : `${trimmed}/${version.segment}`;
}

/**
 * The base URL: `baseUrl` when given (see `assertHttpUrl`, then `normalizeBaseUrl` with `version`,
 * the spec's `apiVersion` that refundkit's generator works out with `apiVersionOf`), else
 * `servers[environment]`. There is no default: without either, live money would be one typo away.
 */
export function resolveBaseUrl(
  provider: ProviderName,
  config: HostConfig,
  servers: Readonly<Record<Environment, string>>,
  version?: ApiVersion,
): string {
  const { environment, baseUrl } = config;
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    throw configError(provider, 'environment must be "sandbox" or "production"');
  }
  if (baseUrl !== undefined) {
    return normalizeBaseUrl(
      provider,
      "baseUrl",
      assertHttpUrl(provider, "baseUrl", baseUrl),
      version,
    );
  }
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
