#!/usr/bin/env node
// Pack-and-install test: what a user installs, executed where users run it.
//
// 1. Packs every package with `pnpm pack` (as `pnpm publish` would: `workspace:` ranges rewritten).
// 2. npm-installs the tarballs into a fresh temporary project (with msw 2, the mock's peer).
// 3. Compiles a strict TypeScript consumer with moduleResolution node16 (.mts and .cts) and bundler.
// 4. Runs the smoke (smoke.mjs: import, smoke.cjs: require, dual.mjs: both builds in one process)
//    on Node 20 (this process), 22, 24, 26, Bun and Deno (npm: specifiers).
// 5. Installs msw 3 in a second project and runs the smoke on Node 22, 24 and Deno (msw 3 needs
//    Node >= 22.12).
//
// The extra runtimes come from the npm registry (packages node, bun, deno), installed once into
// $REFUNDKIT_RUNTIMES_DIR (default ~/.cache/refundkit/runtimes) and reused afterwards.
//
// Usage: node test/packed/run.mjs [--runtimes=node20,node22,node24,node26,bun,deno] [--keep]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "../..");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const only = args
  .find((a) => a.startsWith("--runtimes="))
  ?.slice("--runtimes=".length)
  .split(",");

/** Runtimes from the npm registry: directory name -> [package spec, binary]. Majors only. */
const RUNTIMES = {
  node22: ["node@22", "node"],
  node24: ["node@24", "node"],
  node26: ["node@26", "node"],
  bun: ["bun@1", "bun"],
  deno: ["deno@2", "deno"],
};
const wanted = (name) => !only || only.includes(name);
const runtimesDir =
  process.env.REFUNDKIT_RUNTIMES_DIR ?? join(homedir(), ".cache/refundkit/runtimes");
// One smoke must finish well within this; Deno kept alive by a handle is caught by it.
const SMOKE_TIMEOUT_MS = 60_000;

const timings = [];
const failures = [];

async function timed(name, fn) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const ms = Math.round(performance.now() - start);
    timings.push([name, ms]);
    console.log(`[packed] ${name}: ${(ms / 1000).toFixed(1)} s`);
  }
}

/** Runs a command; resolves with its output, rejects (with the output) on failure or timeout. */
function run(command, argv, { cwd = root, env = {}, timeoutMs = 600_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n[packed] killed after ${timeoutMs} ms (still running)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { output }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else {
        const error = new Error(`${command} ${argv.join(" ")} exited ${code ?? signal}`);
        reject(Object.assign(error, { output }));
      }
    });
  });
}

/** pnpm as the test command was started with it, else the pinned one through npx. */
function pnpm(argv, options) {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return run(process.execPath, [execpath, ...argv], options);
  return run("npx", ["-y", "pnpm@10.34.9", ...argv], options);
}

async function installRuntime(name) {
  const [spec, bin] = RUNTIMES[name];
  const dir = join(runtimesDir, name);
  const binary = join(dir, "node_modules/.bin", bin);
  if (!existsSync(binary)) {
    await mkdir(dir, { recursive: true });
    // npm refuses to install a package into a project of the same name: name the project.
    await writeFile(
      join(dir, "package.json"),
      `${JSON.stringify({ name: `refundkit-runtime-${name}`, private: true })}\n`,
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", spec], {
      cwd: dir,
    });
  }
  const version = (await run(binary, ["--version"])).trim().split("\n")[0];
  return { name, binary, version };
}

async function packAll(destination) {
  await pnpm(["-r", "pack", "--pack-destination", destination]);
  const tarballs = {};
  for (const file of (await readdir(destination)).filter((f) => f.endsWith(".tgz")).sort()) {
    const tarball = join(destination, file);
    const packed = await run("tar", ["-xzOf", tarball, "package/package.json"]);
    const manifest = JSON.parse(packed);
    // The published manifest must not point at the workspace.
    if (manifest.private) continue; // not published
    if (packed.includes("workspace:")) throw new Error(`${manifest.name}: workspace: range packed`);
    tarballs[manifest.name] = tarball;
  }
  const expected = [];
  for (const dir of await readdir(join(root, "packages"))) {
    const manifest = JSON.parse(
      await readFile(join(root, "packages", dir, "package.json"), "utf8"),
    );
    if (!manifest.private) expected.push(manifest.name);
  }
  const missing = expected.filter((name) => !(name in tarballs));
  if (missing.length > 0) throw new Error(`not packed: ${missing.join(", ")}`);
  return tarballs;
}

async function makeProject(dir, tarballs, extra) {
  await mkdir(dir, { recursive: true });
  const dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  const manifest = {
    name: "refundkit-packed-consumer",
    private: true,
    dependencies: { ...dependencies, ...extra },
  };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Deno resolves npm: specifiers from this node_modules (bring your own node_modules).
  await writeFile(join(dir, "deno.json"), `${JSON.stringify({ nodeModulesDir: "manual" })}\n`);
  for (const file of ["smoke-body.cjs", "smoke.cjs", "smoke.mjs", "dual.mjs"]) {
    await copyFile(join(here, file), join(dir, file));
  }
  // Deno: the same smoke with every package imported through an npm: specifier.
  const esm = await readFile(join(here, "smoke.mjs"), "utf8");
  const deno = esm.replace(/from "((?:@refundkit\/|refundkit|msw)[^"]*)"/g, 'from "npm:$1"');
  await writeFile(join(dir, "smoke-deno.mjs"), deno);
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"], {
    cwd: dir,
  });
}

async function compileConsumer(dir) {
  const source = await readFile(join(here, "consumer.ts"), "utf8");
  for (const ext of ["mts", "cts", "ts"]) await writeFile(join(dir, `consumer.${ext}`), source);
  // skipLibCheck as users have it: msw 2's own declarations do not compile as CommonJS.
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    lib: ["ES2023", "DOM"],
  };
  const configs = {
    "tsconfig.node16.json": {
      compilerOptions: {
        ...strict,
        module: "node16",
        moduleResolution: "node16",
        target: "ES2022",
      },
      files: ["consumer.mts", "consumer.cts"],
    },
    "tsconfig.bundler.json": {
      compilerOptions: {
        ...strict,
        module: "esnext",
        moduleResolution: "bundler",
        target: "ES2022",
      },
      files: ["consumer.ts"],
    },
  };
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  for (const [file, config] of Object.entries(configs)) {
    await writeFile(join(dir, file), `${JSON.stringify(config, null, 2)}\n`);
    await timed(`tsc ${file.slice(9, -5)}`, () =>
      run(process.execPath, [tsc, "-p", file], { cwd: dir }),
    );
  }
}

/** The `refundkit` command as installed (package.json `bin`). */
const CLI_BIN = "node_modules/@refundkit/cli/dist/bin.mjs";

/** The smoke commands for one runtime. */
function smokes(runtime) {
  if (runtime.name === "deno") {
    return [
      ["import (npm:)", [runtime.binary, "run", "-A", "smoke-deno.mjs"]],
      ["require", [runtime.binary, "run", "-A", "smoke.cjs"]],
      ["dual", [runtime.binary, "run", "-A", "dual.mjs"]],
      ["cli bin", [runtime.binary, "run", "-A", CLI_BIN, "capabilities"]],
    ];
  }
  return [
    ["import", [runtime.binary, "smoke.mjs"]],
    ["require", [runtime.binary, "smoke.cjs"]],
    ["dual", [runtime.binary, "dual.mjs"]],
    ["cli bin", [runtime.binary, CLI_BIN, "capabilities"]],
  ];
}

async function smokeOn(runtime, dir, tag = "", env = {}) {
  for (const [kind, [command, ...argv]] of smokes(runtime)) {
    const label = `smoke ${runtime.name}${tag} ${kind}`;
    try {
      const out = await timed(label, () =>
        run(command, argv, { cwd: dir, env, timeoutMs: SMOKE_TIMEOUT_MS }),
      );
      // The bin prints every provider's capabilities.
      const missing = ["sezzle", "optty", "levelup", "moyasar", "briqpay"].filter(
        (provider) => kind === "cli bin" && !out.includes(provider),
      );
      if (missing.length > 0) throw new Error(`refundkit capabilities: no ${missing.join(", ")}`);
      console.log(
        out
          .trim()
          .split("\n")
          .map((line) => `    ${line}`)
          .join("\n"),
      );
    } catch (error) {
      failures.push(label);
      console.error(`[packed] FAILED ${label}: ${error.message}\n${error.output ?? ""}`);
    }
  }
}

async function main() {
  const total = performance.now();
  const work = await mkdtemp(join(tmpdir(), "refundkit-packed-"));
  console.log(`[packed] working in ${work}; runtimes in ${runtimesDir}`);
  try {
    const rootManifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    const msw2 = rootManifest.devDependencies.msw;
    // Runtimes download while packing and installing.
    const runtimeInstalls = timed("install runtimes", () =>
      Promise.allSettled(Object.keys(RUNTIMES).filter(wanted).map(installRuntime)),
    );
    const tarballs = await timed("pnpm pack", () => packAll(join(work, "tarballs")));
    const app = join(work, "app");
    await timed("npm install (msw 2)", () =>
      makeProject(app, tarballs, { msw: msw2, "@types/node": "^20.19.0" }),
    );
    await compileConsumer(app);

    const runtimes = [];
    if (wanted("node20"))
      runtimes.push({
        name: `node${process.versions.node.split(".")[0]}`,
        binary: process.execPath,
        version: process.version,
      });
    for (const result of await runtimeInstalls) {
      if (result.status === "fulfilled") runtimes.push(result.value);
      else {
        failures.push(`install ${result.reason?.message}`);
        console.error(
          `[packed] FAILED runtime install: ${result.reason?.message}\n${result.reason?.output ?? ""}`,
        );
      }
    }
    console.log(`[packed] runtimes: ${runtimes.map((r) => `${r.name} ${r.version}`).join(", ")}`);
    for (const runtime of runtimes) await smokeOn(runtime, app);

    // msw 3 (ESM only, Node >= 22.12): the mock's handlers and server under it.
    const msw3Runtimes = runtimes.filter((r) => ["node22", "node24", "deno"].includes(r.name));
    if (msw3Runtimes.length > 0) {
      const app3 = join(work, "app-msw3");
      await timed("npm install (msw 3)", () =>
        makeProject(app3, tarballs, { msw: "^3.0.0", "@types/node": "^22.0.0" }),
      );
      for (const runtime of msw3Runtimes) {
        // msw 3.0's setupServer does not intercept Deno's fetch (requests go to the real host);
        // msw 2 does. On Deno, msw 3 is checked through startMockServer only.
        const env = runtime.name === "deno" ? { REFUNDKIT_SMOKE_NO_INTERCEPT: "1" } : {};
        await smokeOn(runtime, app3, " msw3", env);
      }
    }
  } catch (error) {
    failures.push(error.message);
    console.error(`[packed] FAILED: ${error.message}\n${error.output ?? ""}`);
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - total) / 1000).toFixed(1);
  console.log(`[packed] total ${seconds} s; ${timings.length} steps, ${failures.length} failed`);
  if (failures.length > 0) {
    console.error(`[packed] failed: ${failures.join("; ")}`);
    process.exitCode = 1;
  }
}

await main();
