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
const BUNDLED_IN_CJS = ["openapi-fetch"];

/** What a package may change: its entry points, and dependencies it bundles in both formats. */
export interface PackageBuildOptions {
  /** Default `["src/index.ts"]`. */
  entry?: string[];
  /**
   * Dependencies inlined into the ESM and CJS code (never into the declarations), so they need
   * not be installed by users: they must then be devDependencies, not dependencies.
   */
  bundle?: string[];
  /**
   * Emit one output module per source module instead of one chunk per entry (tsdown's
   * `unbundle`), so that a bundler sees (and drops) each module on its own and a size report
   * names the source module each byte comes from.
   */
  unbundle?: boolean;
}

/** Code imports of one of `names`; declaration files (importer `*.d.ts`) keep importing them. */
function bundles(names: readonly string[]) {
  const set = new Set(names);
  return (id: string, importer: string | undefined) => set.has(id) && !importer?.endsWith(".d.ts");
}

export function packageBuild(options: PackageBuildOptions = {}): UserConfig {
  const both = options.bundle ?? [];
  const cjs = [...both, ...BUNDLED_IN_CJS];
  return defineConfig({
    entry: options.entry ?? ["src/index.ts"],
    ...(options.unbundle === true ? { unbundle: true } : {}),
    dts: true,
    platform: "node",
    target: "node20",
    format: {
      esm: {
        deps: { alwaysBundle: bundles(both), onlyBundle: both, skipNodeModulesBundle: false },
      },
      cjs: { deps: { alwaysBundle: bundles(cjs), onlyBundle: cjs, skipNodeModulesBundle: false } },
    },
  });
}
