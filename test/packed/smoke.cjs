// The packed smoke through require(): the CJS build of every package.
"use strict";
const { smoke } = require("./smoke-body.cjs");

const NAMES = ["refundkit", "@refundkit/core", "@refundkit/mock", "@refundkit/cli"];
const PROVIDERS = ["sezzle", "optty", "levelup", "moyasar", "briqpay"];

async function main() {
  const pkgJson = {};
  for (const name of [...NAMES, ...PROVIDERS.map((p) => `@refundkit/${p}`)]) {
    pkgJson[name] = require(`${name}/package.json`);
  }
  // msw 3 is ESM only: require() of it needs Node >= 22.12 (require(esm)); msw 2 ships CJS.
  const mswNode = require("msw/node");
  const modules = {
    refundkit: require("refundkit"),
    core: require("@refundkit/core"),
    mock: require("@refundkit/mock"),
    cli: require("@refundkit/cli"),
    providers: Object.fromEntries(PROVIDERS.map((p) => [p, require(`@refundkit/${p}`)])),
    pkgJson,
    mswNode,
    mswVersion: require("msw/package.json").version,
  };
  console.log(await smoke(modules, `${runtime()} require`));
}

function runtime() {
  if (typeof Bun !== "undefined") return `bun ${Bun.version}`;
  if (typeof Deno !== "undefined") return `deno ${Deno.version.deno}`;
  return `node ${process.version}`;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
