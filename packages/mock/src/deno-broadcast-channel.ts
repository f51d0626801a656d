/**
 * Deno only, and only where missing: Node's `ref()`/`unref()` on the global BroadcastChannel.
 *
 * msw creates a BroadcastChannel when it is imported (for its WebSocket API) and unrefs it where
 * `unref` exists, i.e. on Node (https://github.com/mswjs/msw/pull/2196). Deno's web
 * BroadcastChannel has no `unref`, so the channel keeps Deno's event loop alive and a Deno
 * process that imported msw (so this package) never exits. Deno's own channel has the ref
 * switch internally (the method node:worker_threads' BroadcastChannel uses for its `unref`);
 * this exposes it under Node's names before msw loads, so msw unrefs its channel as on Node.
 *
 * This module must be evaluated before msw: it is the first import of src/index.ts and stays a
 * separate file in the build (tsdown.config.ts), because bundled code runs after every external
 * import.
 */
declare const Deno: unknown;

type RefSwitch = (this: BroadcastChannel, ref: boolean) => void;

if (
  typeof Deno !== "undefined" &&
  typeof BroadcastChannel === "function" &&
  !("unref" in BroadcastChannel.prototype)
) {
  const proto = BroadcastChannel.prototype as unknown as Record<symbol, unknown>;
  const refSymbol = Object.getOwnPropertySymbols(proto).find(
    (symbol) => symbol.description === "refBroadcastChannel",
  );
  const refSwitch = refSymbol === undefined ? undefined : proto[refSymbol];
  if (typeof refSwitch === "function") {
    Object.defineProperties(BroadcastChannel.prototype, {
      ref: {
        configurable: true,
        writable: true,
        value(this: BroadcastChannel) {
          (refSwitch as RefSwitch).call(this, true);
          return this;
        },
      },
      unref: {
        configurable: true,
        writable: true,
        value(this: BroadcastChannel) {
          (refSwitch as RefSwitch).call(this, false);
          return this;
        },
      },
    });
  }
}

export {};
