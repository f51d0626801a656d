import { describe, expect, it, vi } from "vitest";
import { createTokenCache, type FetchedToken } from "../src/token-cache.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("createTokenCache", () => {
  it("shares one in-flight fetch between concurrent first calls", async () => {
    const pending = deferred<FetchedToken>();
    const fetchToken = vi.fn(() => pending.promise);
    const cache = createTokenCache({ fetchToken, now: () => 0 });
    const calls = [cache.get(), cache.get(), cache.get()];
    pending.resolve({ token: "t1", expiresAt: 3_600_000 });
    expect(await Promise.all(calls)).toEqual(["t1", "t1", "t1"]);
    expect(fetchToken).toHaveBeenCalledOnce();
  });

  it("uses the cached token until expiresAt minus the skew, then refreshes", async () => {
    let clock = 0;
    let issued = 0;
    const fetchToken = vi.fn(async () => ({ token: `t${++issued}`, expiresAt: clock + 7_200_000 }));
    const cache = createTokenCache({ fetchToken, refreshSkewMs: 60_000, now: () => clock });
    expect(await cache.get()).toBe("t1");
    clock = 7_140_000 - 1;
    expect(await cache.get()).toBe("t1");
    clock = 7_140_000;
    expect(await cache.get()).toBe("t2");
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it("uses a token that lives shorter than the skew for half its life instead of refetching every call", async () => {
    let clock = 0;
    let issued = 0;
    const fetchToken = vi.fn(async () => ({ token: `t${++issued}`, expiresAt: clock + 10_000 }));
    const cache = createTokenCache({ fetchToken, refreshSkewMs: 60_000, now: () => clock });
    expect(await cache.get()).toBe("t1");
    clock = 4_999;
    expect(await cache.get()).toBe("t1");
    clock = 5_000;
    expect(await cache.get()).toBe("t2");
  });

  it("invalidate drops only the current token, so two concurrent 401s cause one refresh", async () => {
    let issued = 0;
    const fetchToken = vi.fn(async () => ({
      token: `t${++issued}`,
      expiresAt: Number.MAX_SAFE_INTEGER,
    }));
    const cache = createTokenCache({ fetchToken, now: () => 0 });
    const used = await cache.get();
    // Two requests both failed with t1.
    cache.invalidate(used);
    const first = cache.get();
    cache.invalidate(used);
    const second = cache.get();
    expect(await Promise.all([first, second])).toEqual(["t2", "t2"]);
    cache.invalidate(used); // stale: t2 stays
    expect(await cache.get()).toBe("t2");
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it("does not cache a failure and rejects every waiter with it", async () => {
    const failure = new Error("auth endpoint down");
    const fetchToken = vi
      .fn<() => Promise<FetchedToken>>()
      .mockRejectedValueOnce(failure)
      .mockResolvedValue({ token: "t2", expiresAt: Number.MAX_SAFE_INTEGER });
    const cache = createTokenCache({ fetchToken, now: () => 0 });
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    expect(results).toEqual([
      { status: "rejected", reason: failure },
      { status: "rejected", reason: failure },
    ]);
    expect(await cache.get()).toBe("t2");
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it("rejects a malformed token response without caching it", async () => {
    const fetchToken = vi
      .fn<() => Promise<FetchedToken>>()
      .mockResolvedValueOnce({ token: "", expiresAt: 1 })
      .mockResolvedValueOnce({ token: "t", expiresAt: Number.NaN })
      .mockResolvedValue({ token: "ok", expiresAt: Number.MAX_SAFE_INTEGER });
    const cache = createTokenCache({ fetchToken, now: () => 0 });
    await expect(cache.get()).rejects.toThrow(TypeError);
    await expect(cache.get()).rejects.toThrow(/expiresAt/);
    expect(await cache.get()).toBe("ok");
  });
});
