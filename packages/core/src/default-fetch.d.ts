/**
 * `#default-fetch` (package.json "imports"): `internal/node-fetch.ts` under the "node" export
 * condition, `internal/web-fetch.ts` elsewhere. Declared here because the mapping points into
 * dist, which the type checker may not have yet; both modules export exactly this.
 */
declare module "#default-fetch" {
  /** The fetch a client sends with when given none. */
  export function defaultFetch(): typeof globalThis.fetch;
}
