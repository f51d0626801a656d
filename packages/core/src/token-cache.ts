/** A bearer token from the provider's token endpoint and when it expires. */
export interface FetchedToken {
  token: string;
  /** When the token stops working, in epoch milliseconds. */
  expiresAt: number;
}

/** Options of `createTokenCache`: how to fetch a token and when to refresh it. */
export interface TokenCacheOptions {
  /** Asks the provider for a new token (e.g. Sezzle /v2/authentication, Optty /token). */
  fetchToken: () => Promise<FetchedToken>;
  /** Refresh this long before `expiresAt`. Default 60 000. Never more than half a token's life. */
  refreshSkewMs?: number;
  /** The clock, in epoch milliseconds; replace in tests. */
  now?: () => number;
  /** A token obtained earlier, expiry unknown: used until it is invalidated (a 401). */
  initialToken?: string;
}

/** A provider token kept until shortly before it expires, fetched once for concurrent callers. */
export interface TokenCache {
  /** A valid token: the cached one, or one fetch shared by every concurrent caller. */
  get(): Promise<string>;
  /**
   * Forgets `token` if it is still the current one (say, after a 401). A stale token is ignored,
   * so two requests failing with the same token cause one refresh, not two.
   */
  invalidate(token: string): void;
}

/** A TokenCache over `options.fetchToken`; nothing is fetched until the first `get()`. */
export function createTokenCache(options: TokenCacheOptions): TokenCache {
  const refreshSkewMs = options.refreshSkewMs ?? 60_000;
  const now = options.now ?? Date.now;
  let current: { token: string; refreshAt: number } | undefined =
    options.initialToken === undefined
      ? undefined
      : { token: options.initialToken, refreshAt: Number.POSITIVE_INFINITY };
  let inFlight: Promise<string> | undefined;

  async function fetchAndStore(): Promise<string> {
    const fetchedAt = now();
    const fetched = await options.fetchToken();
    if (typeof fetched?.token !== "string" || fetched.token.length === 0) {
      throw new TypeError("fetchToken resolved without a token");
    }
    if (!Number.isFinite(fetched.expiresAt)) {
      throw new TypeError("fetchToken resolved without a finite expiresAt (epoch milliseconds)");
    }
    // A token that lives shorter than twice the skew is still used for half its life, instead of
    // being refetched on every call.
    const skew = Math.min(refreshSkewMs, Math.max(0, (fetched.expiresAt - fetchedAt) / 2));
    current = { token: fetched.token, refreshAt: fetched.expiresAt - skew };
    return fetched.token;
  }

  return {
    get() {
      if (current !== undefined && now() < current.refreshAt) return Promise.resolve(current.token);
      if (inFlight === undefined) {
        const pending = fetchAndStore().finally(() => {
          if (inFlight === pending) inFlight = undefined;
        });
        inFlight = pending;
      }
      return inFlight;
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
  };
}
