import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiVersionOf } from "../../packages/core/src/config.js";
import { generate } from "../lib/generate.js";
import { lintSpec } from "../lib/lint.js";
import { listProviders, rootDir } from "../lib/specs.js";

const run = promisify(execFile);
const tsxLoader = join(rootDir, "node_modules", "tsx", "dist", "loader.mjs");
const generateScript = join(rootDir, "scripts", "generate.ts");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI, as `pnpm generate` would. */
async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", tsxLoader, generateScript, ...args],
      {
        cwd: rootDir,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

/** A sixth provider: path-level servers, an alternative host, server variables. */
const ACME_SPEC = `openapi: 3.1.0
info:
  title: Acme Pay
  version: 1.0.0
  description: Fixture for scripts/test/generate.test.ts.
servers:
  - url: https://{host}.acme.test
    description: sandbox
    x-refundkit-environment: sandbox
    variables:
      host:
        default: sandbox.api
  - url: https://api.acme.test
    description: production
    x-refundkit-environment: production
  - url: https://legacy-sandbox.acme.test
    description: older sandbox host
    x-refundkit-environment: sandbox
    x-refundkit-alternative: true
security:
  - Bearer: []
paths:
  /v1/orders/{id}/refund:
    post:
      operationId: RefundOrder
      summary: Refund an order
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/RefundRequest'
      responses:
        '200':
          description: Refunded
          content:
            application/json:
              schema:
                type: object
                properties:
                  refund_id:
                    type: string
        '404':
          description: No such order
  /oauth/token:
    servers:
      - url: https://auth.sandbox.acme.test
        x-refundkit-environment: sandbox
      - url: https://auth.acme.test
        x-refundkit-environment: production
    post:
      operationId: GetToken
      summary: Get a token
      security: []
      responses:
        '200':
          description: A token
          content:
            application/json:
              schema:
                type: object
                properties:
                  access_token:
                    type: string
        '401':
          description: Bad credentials
components:
  schemas:
    RefundRequest:
      type: object
      required: [amount]
      properties:
        amount:
          type: integer
          minimum: 1
  securitySchemes:
    Bearer:
      type: http
      scheme: bearer
`;

/** Real spec folders that load and lint clean today; the others are still being written. */
async function readySpecs(): Promise<string[]> {
  const ready: string[] = [];
  for (const provider of listProviders()) {
    try {
      if ((await lintSpec(provider)).length === 0) ready.push(provider);
    } catch {
      // not loadable yet: covered by "every real spec lints clean" below
    }
  }
  return ready;
}

const temps: string[] = [];

/** A temp tree with redocly.yaml, tsconfig.base.json, the given spec folders and package dirs. */
function makeRoot(
  realSpecs: string[],
  extraSpecs: Record<string, Record<string, string>> = {},
): string {
  const root = mkdtempSync(join(tmpdir(), "refundkit-generate-"));
  temps.push(root);
  cpSync(join(rootDir, "redocly.yaml"), join(root, "redocly.yaml"));
  cpSync(join(rootDir, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
  symlinkSync(join(rootDir, "node_modules"), join(root, "node_modules"));
  mkdirSync(join(root, "packages", "mock"), { recursive: true });
  for (const provider of realSpecs) {
    cpSync(join(rootDir, "specs", provider), join(root, "specs", provider), { recursive: true });
    mkdirSync(join(root, "packages", provider), { recursive: true });
  }
  for (const [provider, files] of Object.entries(extraSpecs)) {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, "specs", provider), { recursive: true });
      writeFileSync(join(root, "specs", provider, name), text);
    }
  }
  mkdirSync(join(root, "specs"), { recursive: true });
  return root;
}

/** Every file under packages/, as path -> bytes (node_modules excluded). */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const packages = join(root, "packages");
  for (const entry of readdirSync(packages, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.includes("node_modules")) continue;
    files.set(relative(root, path), readFileSync(path, "latin1"));
  }
  return files;
}

afterAll(() => {
  for (const root of temps) rmSync(root, { recursive: true, force: true });
});

describe("scripts/generate on a temp copy of specs/ plus a sixth provider", () => {
  let root = "";
  let real: string[] = [];
  let first: CliResult;

  beforeAll(async () => {
    real = await readySpecs();
    root = makeRoot(real, { acme: { "openapi.yaml": ACME_SPEC } });
    first = await cli("--root", root);
  }, 60_000);

  it("writes every generated file and scaffolds the new package", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    for (const provider of [...real, "acme"]) {
      for (const path of [
        `packages/${provider}/src/generated/openapi.ts`,
        `packages/${provider}/src/generated/spec.ts`,
        `packages/mock/src/generated/${provider}.ts`,
      ]) {
        expect(first.stdout).toContain(`wrote ${path}`);
        const text = readFileSync(join(root, path), "utf8");
        expect(
          text.startsWith(
            `// Generated by the refundkit generator from https://github.com/refundkit/refundkit/tree/main/specs/${provider}. Do not edit.\n`,
          ),
        ).toBe(true);
        expect(text.endsWith("\n")).toBe(true);
        expect(text).not.toContain("\r");
      }
    }
    expect(first.stdout).toContain("scaffolded packages/acme/");
    const index = readFileSync(join(root, "packages/mock/src/generated/index.ts"), "utf8");
    for (const provider of [...real, "acme"]) {
      expect(index).toContain(`import { document as ${provider} } from "./${provider}.js";`);
    }
  });

  it("a second run is byte-identical and writes nothing", async () => {
    const before = snapshot(root);
    const second = await cli("--root", root);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/generate: 0 written, \d+ unchanged, 0 deleted/);
    expect(snapshot(root)).toEqual(before);
  }, 30_000);

  it("--check passes after a run", async () => {
    const checked = await cli("--root", root, "--check");
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/^generate --check: up to date \(\d+ files\)\n$/);
  }, 30_000);

  it("--check fails naming an edited generated file and a stray one, and writes nothing", async () => {
    const specPath = "packages/acme/src/generated/spec.ts";
    const edited = `${readFileSync(join(root, specPath), "utf8")}export const extra = 1;\n`;
    writeFileSync(join(root, specPath), edited);
    writeFileSync(join(root, "packages/acme/src/generated/stray.ts"), "export {};\n");
    const checked = await cli("--root", root, "--check");
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(`would change: ${specPath}`);
    expect(checked.stderr).toContain("should not exist: packages/acme/src/generated/stray.ts");
    expect(checked.stderr).not.toContain("would change: packages/acme/src/generated/openapi.ts");
    expect(readFileSync(join(root, specPath), "utf8")).toBe(edited);
    expect(existsSync(join(root, "packages/acme/src/generated/stray.ts"))).toBe(true);

    const fixed = await cli("--root", root);
    expect(fixed.stdout).toContain(`wrote ${specPath}`);
    expect(fixed.stdout).toContain("deleted packages/acme/src/generated/stray.ts");
    expect((await cli("--root", root, "--check")).code).toBe(0);
  }, 60_000);

  it("--check fails naming the outputs of a changed spec", async () => {
    const specFile = join(root, "specs/acme/openapi.yaml");
    writeFileSync(
      specFile,
      ACME_SPEC.replace("summary: Refund an order", "summary: Refund an order now"),
    );
    try {
      const checked = await cli("--root", root, "--check");
      expect(checked.code).toBe(1);
      expect(checked.stderr).toContain("would change: packages/acme/src/generated/openapi.ts");
      expect(checked.stderr).toContain("would change: packages/mock/src/generated/acme.ts");
      expect(checked.stderr).not.toContain("would change: packages/acme/src/generated/spec.ts");
    } finally {
      writeFileSync(specFile, ACME_SPEC);
    }
  }, 30_000);

  it("the scaffolded package has the provider packages' shape and typechecks", async () => {
    const pkg = JSON.parse(
      readFileSync(join(root, "packages/acme/package.json"), "utf8"),
    ) as Record<string, unknown>;
    const levelup = JSON.parse(
      readFileSync(join(rootDir, "packages/levelup/package.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(pkg.name).toBe("@refundkit/acme");
    expect(Object.keys(pkg)).toEqual(Object.keys(levelup));
    for (const key of [
      "type",
      "exports",
      "scripts",
      "dependencies",
      "files",
      "main",
      "module",
      "types",
      "engines",
    ]) {
      expect(pkg[key], key).toEqual(levelup[key]);
    }
    expect(pkg.repository).toEqual({
      ...(levelup.repository as object),
      directory: "packages/acme",
    });
    for (const file of [
      "tsconfig.json",
      "tsdown.config.ts",
      "vitest.config.ts",
      "README.md",
      "src/index.ts",
      "src/client.ts",
    ]) {
      expect(existsSync(join(root, "packages/acme", file)), file).toBe(true);
    }
    expect(readFileSync(join(root, "packages/acme/src/client.ts"), "utf8")).toContain(
      "createClient<paths>",
    );

    // openapi-fetch as pnpm would link it.
    const openapiFetch = realpathSync(join(rootDir, "packages/levelup/node_modules/openapi-fetch"));
    mkdirSync(join(root, "packages/acme/node_modules"), { recursive: true });
    symlinkSync(openapiFetch, join(root, "packages/acme/node_modules/openapi-fetch"));
    const tsc = join(rootDir, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [
      tsc,
      "--noEmit",
      "-p",
      join(root, "packages/acme/tsconfig.json"),
    ]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? "tsc failed",
    );
    expect(result).toBe("");
  }, 60_000);

  it("the generated servers and operations come from the spec's servers", async () => {
    const spec = (await import(join(root, "packages/acme/src/generated/spec.ts"))) as Record<
      string,
      unknown
    >;
    expect(spec.servers).toEqual({
      sandbox: "https://sandbox.api.acme.test",
      production: "https://api.acme.test",
    });
    expect(spec.alternativeServers).toEqual({
      sandbox: ["https://legacy-sandbox.acme.test"],
      production: [],
    });
    expect(spec.serversByRegion).toBeUndefined();
    expect(spec.operations).toEqual({
      RefundOrder: { method: "post", path: "/v1/orders/{id}/refund" },
      GetToken: {
        method: "post",
        path: "/oauth/token",
        servers: {
          sandbox: "https://auth.sandbox.acme.test",
          production: "https://auth.acme.test",
        },
      },
    });
    expect(spec.securitySchemes).toEqual({ Bearer: { type: "http", scheme: "bearer" } });
    expect(spec.security).toEqual([{ Bearer: [] }]);
    expect(spec.operationServers).toEqual({
      GetToken: { sandbox: "https://auth.sandbox.acme.test", production: "https://auth.acme.test" },
    });
    // /v1/orders/... and /oauth/token share no first segment, and the servers end in none.
    expect(spec.apiVersion).toBeUndefined();

    const client = (await import(join(root, "packages/acme/src/client.ts"))) as {
      createAcmeClient: (options: { environment?: string; baseUrl?: string }) => unknown;
    };
    expect(() => client.createAcmeClient({})).toThrow(/environment.*baseUrl/);

    const mock = (await import(join(root, "packages/mock/src/generated/index.ts"))) as {
      documents: Record<string, unknown>;
    };
    const acme = mock.documents.acme as { paths: Record<string, unknown> };
    expect(Object.keys(acme.paths)).toEqual(["/v1/orders/{id}/refund", "/oauth/token"]);
    expect(JSON.parse(JSON.stringify(mock.documents))).toEqual(mock.documents);
  });

  it("scaffolding never overwrites an existing package", async () => {
    const clientPath = join(root, "packages/acme/src/client.ts");
    writeFileSync(clientPath, "// hand-written\nexport {};\n");
    rmSync(join(root, "packages/acme/README.md"));
    const again = await cli("--root", root);
    expect(again.code).toBe(0);
    expect(readFileSync(clientPath, "utf8")).toBe("// hand-written\nexport {};\n");
    expect(existsSync(join(root, "packages/acme/README.md"))).toBe(false);
  }, 30_000);
});

describe("scripts/generate refuses bad specs, and writes nothing", () => {
  it("a spec with a lint error fails with the rule name and pointer", async () => {
    const broken = ACME_SPEC.replace("      summary: Refund an order\n", "");
    const root = makeRoot([], { broken: { "openapi.yaml": broken } });
    const result = await cli("--root", root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "specs/broken: operation-summary Operation object should contain `summary` field. at #/paths/~1v1~1orders~1{id}~1refund/post/summary",
    );
    expect(existsSync(join(root, "packages/broken"))).toBe(false);
    expect(existsSync(join(root, "packages/mock/src/generated"))).toBe(false);
  }, 30_000);

  it("an overlay action that matches nothing fails", async () => {
    const overlay = `overlay: 1.0.0
info: { title: fixture, version: 1.0.0 }
actions:
  - target: $.paths['/v1/nowhere'].post
    description: the upstream path moved
    update: { summary: x }
`;
    const root = makeRoot([], { acme: { "openapi.yaml": ACME_SPEC, "overlay.yaml": overlay } });
    const result = await generate({ root });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      "specs/acme/overlay.yaml: 1 overlay action(s) cannot be applied (the document moved under the fix: update or drop the action):\n" +
        "  action #1 $.paths['/v1/nowhere'].post: update target matches nothing; description: \"the upstream path moved\"",
    ]);
    expect(existsSync(join(root, "packages/acme"))).toBe(false);
  });

  it("a spec without a sandbox server fails saying so", async () => {
    const spec = ACME_SPEC.replace(
      / {2}- url: https:\/\/\{host\}[\s\S]*?default: sandbox.api\n/,
      "",
    );
    const root = makeRoot([], { acme: { "openapi.yaml": spec } });
    const result = await generate({ root });
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^specs\/acme: #\/servers: no sandbox server: add a server with x-refundkit-environment: sandbox/,
      ),
    ]);
  });

  it("a spec folder without a spec fails naming it, and --check writes nothing either", async () => {
    const root = makeRoot([], { acme: { "openapi.yaml": ACME_SPEC } });
    mkdirSync(join(root, "specs/empty"));
    const result = await generate({ root, check: true });
    expect(result.errors).toEqual([
      "specs/empty/ has no openapi.yaml or openapi.json (spec not written yet?)",
    ]);
    const checked = await generate({
      root: makeRoot([], { acme: { "openapi.yaml": ACME_SPEC } }),
      check: true,
    });
    expect(checked.ok).toBe(false);
    expect(checked.scaffolded).toEqual(["acme"]);
    expect(checked.changed).toContain("packages/acme/src/generated/spec.ts");
    expect(existsSync(join(root, "packages/acme"))).toBe(false);
  });
});

describe("every real spec in specs/ lints clean", () => {
  it.each(listProviders())("specs/%s", async (provider) => {
    const problems = await lintSpec(provider);
    expect(problems.map((problem) => problem.text)).toEqual([]);
  });
});

describe("each provider's generated apiVersion is what core's apiVersionOf finds", () => {
  const expected: Record<string, unknown> = {
    sezzle: { segment: "v2", in: "paths" },
    optty: undefined,
    levelup: { segment: "v14", in: "paths" },
    moyasar: { segment: "v1", in: "paths" },
    briqpay: { segment: "v3", in: "base" },
  };
  it.each(Object.keys(expected))("%s", async (provider) => {
    const spec = (await import(join(rootDir, `packages/${provider}/src/generated/spec.ts`))) as {
      apiVersion: unknown;
      servers: Record<string, string>;
      serversByRegion?: Record<string, Record<string, string>>;
      operations: Record<string, { path: string }>;
    };
    const paths = Object.values(spec.operations).map((operation) => operation.path);
    expect(spec.apiVersion).toEqual(expected[provider]);
    for (const servers of [spec.servers, ...Object.values(spec.serversByRegion ?? {})]) {
      expect(apiVersionOf(servers, paths)).toEqual(spec.apiVersion);
    }
  });
});
