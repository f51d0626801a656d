import { packageBuild } from "../../tsdown.shared.ts";

// The public root and the documented plumbing subpath `@refundkit/core/internal`.
export default packageBuild({ entry: ["src/index.ts", "src/internal.ts"] });
