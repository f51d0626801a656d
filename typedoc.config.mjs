// API reference: `pnpm docs:api` writes docs/api/ (HTML, not committed) from each package's
// src/index.ts. It fails on a public export without a doc comment (validation.notDocumented,
// warnings as errors), so the test command keeps the reference complete.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { OptionDefaults } from "typedoc";

/** The published packages (private ones, like test-utils, have no public API). */
const published = readdirSync("packages")
  .map((dir) => `packages/${dir}`)
  .filter((dir) => existsSync(`${dir}/package.json`))
  .filter((dir) => !JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).private);

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "refundkit",
  entryPointStrategy: "packages",
  entryPoints: published,
  packageOptions: {
    entryPoints: ["src/index.ts"],
    readme: "none",
    // Tags openapi-typescript writes into src/generated/openapi.ts.
    blockTags: [...OptionDefaults.blockTags, "@description", "@constant"],
    validation: { notExported: true, invalidLink: true, notDocumented: true },
    // Every exported declaration; their members are documented where they need it.
    requiredToBeDocumented: [
      "Class",
      "Function",
      "Variable",
      "Interface",
      "TypeAlias",
      "Enum",
      "Namespace",
    ],
  },
  out: "docs/api",
  readme: "none",
  hideGenerator: true,
  excludePrivate: true,
  excludeInternal: true,
  // Type errors are the typecheck task's job; this only reads the declarations.
  skipErrorChecking: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  // Every exported declaration; their members are documented where they need it.
  requiredToBeDocumented: [
    "Class",
    "Function",
    "Variable",
    "Interface",
    "TypeAlias",
    "Enum",
    "Namespace",
  ],
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
};
