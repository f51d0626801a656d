import { defineConfig, type UserConfig } from "tsdown";

/**
 * The one build definition every package's tsdown.config.ts uses (`export default
 * packageBuild()`): ESM + CJS with both declaration flavours, for Node 20 and later.
 *
 * openapi-fetch is bundled into the CJS output only. Its package is `"type": "module"` with a
 * CJS build whose `exports.default` is `createClient`; because our packages are also
 * `"type": "module"`, rolldown emits `__toESM(require("openapi-fetch"), 1)` (Node's ESM-imports-CJS
 * rule: `default` = the whole `module.exports`), so `createClient` became the exports object and
 * `require("@refundkit/sezzle")` threw "(0, openapi_fetch.default) is not a function".
 * Bundled, the ESM source of openapi-fetch is linked statically and there is no interop at run
 * time. The ESM build keeps it external, so ESM users share one copy. openapi-fetch stays a
 * dependency either way: the declaration files import its types.
 * https://github.com/rolldown/rolldown/issues/10800
 */
const BUNDLED_IN_CJS = new Set(["openapi-fetch"]);

export function packageBuild(overrides: Partial<UserConfig> = {}): UserConfig {
  return defineConfig({
    entry: ["src/index.ts"],
    dts: true,
    platform: "node",
    target: "node20",
    format: {
      esm: {},
      cjs: {
        deps: {
          // Code only: the declaration build (importer `*.d.ts`) keeps importing the types from
          // openapi-fetch, so `Client<paths>` stays openapi-fetch's own type.
          alwaysBundle: (id, importer) => BUNDLED_IN_CJS.has(id) && !importer?.endsWith(".d.ts"),
          onlyBundle: [...BUNDLED_IN_CJS],
          skipNodeModulesBundle: false,
        },
      },
    },
    ...overrides,
  });
}
