import { packageBuild } from "../../tsdown.shared.ts";

export default packageBuild({ entry: ["src/index.ts", "src/bin.ts"] });
