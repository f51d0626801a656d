import { packageBuild } from "../../tsdown.shared.ts";

// The public root and the documented plumbing subpath `@refundkit/core/internal`, one output
// module per source module: an application that imports only the refund path gets only the
// modules it reaches, and bench/size.ts --why names each one.
export default packageBuild({ entry: ["src/index.ts", "src/internal.ts"], unbundle: true });
