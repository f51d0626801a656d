// API reference: `pnpm docs:api` writes docs/api/ (HTML, not committed) from each package's
// src/index.ts. It fails on a public export without a doc comment (validation.notDocumented,
// warnings as errors), so the test command keeps the reference complete.
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "refundkit",
  entryPointStrategy: "packages",
  entryPoints: ["packages/*"],
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
