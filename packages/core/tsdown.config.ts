import { defineConfig } from "tsdown";

export default defineConfig({
  // The public root and the documented plumbing subpath `@refundkit/core/internal`.
  entry: ["src/index.ts", "src/internal.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "node",
  target: "node20",
});
