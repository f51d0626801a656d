import { packageBuild } from "../../tsdown.shared.ts";

// The public root and the documented plumbing subpath `@refundkit/core/internal`, one output
// module per source module: an application that imports only the refund path gets only the
// modules it reaches, and bench/size.ts --why names each one. The two default transports are
// entries of their own: `#default-fetch` (package.json "imports") picks one by export condition
// when the package is loaded or bundled, so it stays an import here (external).
const build = packageBuild({
  entry: [
    "src/index.ts",
    "src/internal.ts",
    "src/internal/node-fetch.ts",
    "src/internal/web-fetch.ts",
  ],
  unbundle: true,
});
export default { ...build, external: ["#default-fetch"] };
