import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Tests import sibling packages by name but run their source, so no build is needed first. */
const packagesDir = fileURLToPath(new URL("./packages/", import.meta.url));

export const sourceAliases: Record<string, string> = {
  // Subpath exports first: an alias also matches the names below it ("@refundkit/core/...").
  "@refundkit/core/internal": `${packagesDir}core/src/internal.ts`,
  ...Object.fromEntries(
    readdirSync(packagesDir).map((dir) => [
      dir === "refundkit" ? "refundkit" : `@refundkit/${dir}`,
      `${packagesDir}${dir}/src/index.ts`,
    ]),
  ),
};
