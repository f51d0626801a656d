/**
 * A token and how long it lives. Give `expiresInMs` when the provider states a lifetime
 * (`expires_in`) or when it can be measured on the provider's own clock (an `expiration_date`
 * minus the response's `Date` header): the cache then counts it from when it asked, on the local
 * clock, so a merchant clock hours off the provider's changes nothing. `expiresAt` (epoch
 * milliseconds on the local clock) is for expiries known only as a date.
 */
export type FetchedToken =
  | { token: string; expiresInMs: number; expiresAt?: undefined }
  | { token: string; expiresAt: number; expiresInMs?: undefined };

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
  /** The cached token while it is valid, else undefined; allocates nothing (the per-call path). */
  peek(): string | undefined;
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
  let token: string | undefined = options.initialToken;
  let refreshAt = Infinity;
  let inFlight: Promise<string> | undefined;

  async function fetchAndStore(): Promise<string> {
    const fetchedAt = now();
    const fetched = await options.fetchToken();
    // Counted from before the request went out: the token cannot live longer than that.
    const expiresAt =
      fetched?.expiresInMs !== undefined ? fetchedAt + fetched.expiresInMs : fetched?.expiresAt;
    // A programming error of `fetchToken` (the provider packages refuse such answers themselves).
    if (!(typeof fetched?.token === "string" && fetched.token && Number.isFinite(expiresAt))) {
      throw new TypeError("fetchToken resolved without a token or a finite expiresInMs/expiresAt");
    }
    // A token that lives shorter than twice the skew is still used for half its life, instead of
    // being refetched on every call.
    const skew = Math.min(refreshSkewMs, Math.max(0, (expiresAt - fetchedAt) / 2));
    token = fetched.token;
    refreshAt = expiresAt - skew;
    return fetched.token;
  }

  const cache: TokenCache = {
    peek() {
      return token !== undefined && now() < refreshAt ? token : undefined;
    },
    get() {
      const valid = cache.peek();
      if (valid !== undefined) return Promise.resolve(valid);
      if (inFlight === undefined) {
        const pending = fetchAndStore().finally(() => {
          if (inFlight === pending) inFlight = undefined;
        });
        inFlight = pending;
      }
      return inFlight;
    },
    invalidate(stale) {
      if (token === stale) {
        token = undefined;
        refreshAt = Infinity;
      }
    },
  };
  return cache;
}
