/**
 * The transport everywhere but Node (what `#default-fetch` resolves to in browsers, edge
 * runtimes, Bun, Deno and any bundle not built for Node): the runtime's own `fetch`, looked up at
 * each call, so that a test's msw or stub sees every request. Node gets `node-fetch.ts`.
 */
export function defaultFetch(): typeof globalThis.fetch {
  return globalThis.fetch;
}
