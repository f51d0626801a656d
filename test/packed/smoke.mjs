// The packed smoke through import: the ESM build of every package.
import { createRequire } from "node:module";
import * as briqpay from "@refundkit/briqpay";
import * as cli from "@refundkit/cli";
import * as core from "@refundkit/core";
import * as levelup from "@refundkit/levelup";
import * as mock from "@refundkit/mock";
import * as moyasar from "@refundkit/moyasar";
import * as optty from "@refundkit/optty";
import * as sezzle from "@refundkit/sezzle";
import * as mswNode from "msw/node";
import * as refundkit from "refundkit";
import body from "./smoke-body.cjs";

const require = createRequire(import.meta.url);
const names = ["refundkit", "@refundkit/core", "@refundkit/mock", "@refundkit/cli"].concat(
  ["sezzle", "optty", "levelup", "moyasar", "briqpay"].map((p) => `@refundkit/${p}`),
);
const pkgJson = {};
for (const name of names) {
  pkgJson[name] = (await import(`${name}/package.json`, { with: { type: "json" } })).default;
}

const runtime =
  typeof Bun !== "undefined"
    ? `bun ${Bun.version}`
    : typeof Deno !== "undefined"
      ? `deno ${Deno.version.deno}`
      : `node ${process.version}`;

console.log(
  await body.smoke(
    {
      refundkit,
      core,
      mock,
      cli,
      providers: { sezzle, optty, levelup, moyasar, briqpay },
      pkgJson,
      mswNode,
      mswVersion: require("msw/package.json").version,
    },
    `${runtime} import`,
  ),
);
