import { packageBuild } from "../../tsdown.shared.ts";

// openapi-msw (MIT, a few lines over msw's `http`) is inlined: its msw peer range stops at 2,
// which would block installing @refundkit/mock next to msw 3.
const config = packageBuild({ bundle: ["openapi-msw"] });

// src/deno-broadcast-channel.ts must run before msw is imported. Bundled, it would run after all
// external imports (msw included); so it is its own entry, kept external, and index's import of
// it points at the built file of the same format.
const SHIM = "./deno-broadcast-channel.js";
export default {
  ...config,
  entry: ["src/index.ts", "src/deno-broadcast-channel.ts"],
  format: Object.fromEntries(
    Object.entries(config.format as Record<"esm" | "cjs", Record<string, unknown>>).map(
      ([format, options]) => [
        format,
        {
          ...options,
          external: [SHIM],
          outputOptions: {
            paths: { [SHIM]: `./deno-broadcast-channel.${format === "esm" ? "mjs" : "cjs"}` },
          },
        },
      ],
    ),
  ),
};
