import { packageBuild } from "../../tsdown.shared.ts";

// openapi-msw (MIT, a few lines over msw's `http`) is inlined: its msw peer range stops at 2,
// which would block installing @refundkit/mock next to msw 3.
export default packageBuild({ bundle: ["openapi-msw"] });
