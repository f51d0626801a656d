/**
 * spec:update / spec:diff on made-up next versions of the real Sezzle and Optty documents, each
 * built here by parsing the checked-in document and changing it. Every run works on a temp copy
 * of the repository (tracked files, node_modules linked), so the real tree is never touched.
 */
import { execFile, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { generate } from "../lib/generate.js";
import { diffSpecs, targetSegments } from "../lib/spec-diff.js";
import { parseTypeErrors, type SpecUpdateResult, specUpdate } from "../lib/spec-update.js";
import { loadSpec, rootDir } from "../lib/specs.js";

const git = promisify(execFile);
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

let tracked: string[] | null = null;

/** A temp copy of the repository's tracked files as they are now, node_modules linked. */
async function repoCopy(): Promise<string> {
  tracked ??= (await git("git", ["ls-files", "-z"], { cwd: rootDir })).stdout
    .split("\0")
    .filter((path) => path !== "" && existsSync(join(rootDir, path)));
  const root = mkdtempSync(join(tmpdir(), "refundkit-spec-update-"));
  temps.push(root);
  for (const path of tracked) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    cpSync(join(rootDir, path), join(root, path));
  }
  symlinkSync(join(rootDir, "node_modules"), join(root, "node_modules"));
  for (const name of readdirSync(join(rootDir, "packages"))) {
    const modules = join(rootDir, "packages", name, "node_modules");
    if (existsSync(modules)) symlinkSync(modules, join(root, "packages", name, "node_modules"));
    // Types of sibling packages resolve to their built dist, as in the workspace.
    const dist = join(rootDir, "packages", name, "dist");
    if (existsSync(dist)) symlinkSync(dist, join(root, "packages", name, "dist"));
  }
  return root;
}

/** Every file of the copy (links not followed), path -> bytes. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path), readFileSync(path, "latin1"));
  }
  return files;
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures edit parsed JSON freely
type Doc = any;

const SEZZLE_REFUND = "/v2/order/{order_uuid}/refund";
const OPTTY_REFUND = "/orders/{orderReference}/refund";

function sezzleNext(change: (doc: Doc) => void): Buffer {
  const doc = parseYaml(readFileSync(join(rootDir, "specs/sezzle/openapi.yaml"), "utf8"));
  change(doc);
  return Buffer.from(stringifyYaml(doc));
}

function opttyNext(change: (doc: Doc) => void): Buffer {
  const doc = JSON.parse(readFileSync(join(rootDir, "specs/optty/openapi.json"), "utf8"));
  change(doc);
  return Buffer.from(JSON.stringify(doc));
}

const sezzleOk = (doc: Doc) =>
  doc.paths[SEZZLE_REFUND].post.responses["200"].content["application/json"];

/** An added optional response field. */
const sezzleAdditive = sezzleNext((doc) => {
  doc.info.version = "2.1.0";
  sezzleOk(doc).schema.properties.created_at = {
    type: "string",
    format: "date-time",
    description: "When the refund was recorded",
  };
});

/** A removed response field, and a request field (the idempotency header) becoming required. */
const sezzleBreaking = sezzleNext((doc) => {
  doc.info.version = "3.0.0";
  delete sezzleOk(doc).schema.properties.uuid;
  sezzleOk(doc).schema.properties.refund_id = { type: "string", description: "The refund" };
  sezzleOk(doc).example = { refund_id: "6c9db5d4-d09a-4224-860a-b5438ac32ca8" };
  doc.paths[SEZZLE_REFUND].post.parameters[0].required = true;
});

/** `Price` renamed upstream: the overlay's flattening targets `Price`. */
const sezzleNoPrice = sezzleNext((doc) => {
  doc.components.schemas.Amount = doc.components.schemas.Price;
  delete doc.components.schemas.Price;
  doc.components.schemas.RefundRequest.$ref = "#/components/schemas/Amount";
});

async function update(
  root: string,
  provider: string,
  document: Buffer,
  options: { write?: boolean; acceptBreaking?: boolean; checks?: boolean } = {},
): Promise<SpecUpdateResult & { output: string }> {
  const lines: string[] = [];
  const result = await specUpdate({
    root,
    provider,
    document,
    write: options.write ?? true,
    acceptBreaking: options.acceptBreaking ?? false,
    checks: options.checks ?? false,
    log: (line) => lines.push(line),
  });
  return { ...result, output: lines.join("\n") };
}

function changesetOf(root: string, result: SpecUpdateResult): string {
  expect(result.changeset).not.toBeNull();
  return readFileSync(join(root, result.changeset?.path ?? ""), "utf8");
}

describe("spec:update writes, regenerates and releases a compatible change", () => {
  it("Sezzle, an added optional response field: minor for @refundkit/sezzle and the mock", async () => {
    const root = await repoCopy();
    const result = await update(root, "sezzle", sezzleAdditive);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.report?.bump).toBe("minor");
    expect(result.report?.breaking).toBe(false);
    // The document byte for byte, the generated code following it.
    expect(readFileSync(join(root, "specs/sezzle/openapi.yaml")).equals(sezzleAdditive)).toBe(true);
    expect(readFileSync(join(root, "packages/sezzle/src/generated/openapi.ts"), "utf8")).toContain(
      "created_at?: string;",
    );
    expect((await generate({ root, check: true })).ok).toBe(true);
    expect(result.changeset?.bumps).toEqual({
      "@refundkit/mock": "minor",
      "@refundkit/sezzle": "minor",
    });
    const changeset = changesetOf(root, result);
    expect(changeset).toMatch(
      /^---\n"@refundkit\/mock": minor\n"@refundkit\/sezzle": minor\n---\n/,
    );
    expect(changeset).toContain("upstream document 2.0.0 -> 2.1.0");
    expect(changeset).toContain("POST /v2/order/{order_uuid}/refund (HandleRefundAmountByOrder):");
    expect(changeset).toContain(
      "- non-breaking (minor): response 200 (application/json): field `created_at` added",
    );
    expect(result.examples).toEqual([]);
  }, 120_000);

  it("Optty, descriptions only: patch", async () => {
    const root = await repoCopy();
    const next = opttyNext((doc) => {
      doc.components.schemas.OrderRefundDto.properties.refundDescription.description =
        "Why the refund was issued.";
      doc.paths[OPTTY_REFUND].post.summary = "Refund an order";
    });
    const result = await update(root, "optty", next);
    expect(result.exitCode).toBe(0);
    expect(result.report?.changes.map((change) => change.bump)).not.toContain("minor");
    expect(result.changeset?.bumps).toEqual({
      "@refundkit/mock": "patch",
      "@refundkit/optty": "patch",
    });
    const changeset = changesetOf(root, result);
    expect(changeset).toContain("schema OrderRefundDto:\n");
    expect(changeset).toContain("field `refundDescription`: description changed");
    expect(changeset).toContain("summary changed");
    expect(readFileSync(join(root, "specs/optty/openapi.json")).equals(next)).toBe(true);
  }, 120_000);
});

describe("a breaking change", () => {
  it("Sezzle: refused (exit 1, nothing written) without --accept-breaking", async () => {
    const root = await repoCopy();
    const before = snapshot(root);
    const result = await update(root, "sezzle", sezzleBreaking);
    expect(result.exitCode).toBe(1);
    expect(result.report?.bump).toBe("major");
    const breaking = result.report?.changes.filter((change) => change.severity === "breaking");
    expect(breaking?.map((change) => change.what).sort()).toEqual([
      "parameter `Sezzle-Request-Id` (header): is now required",
      "response 200 (application/json): field `uuid` removed",
    ]);
    expect(result.output).toContain("re-run with --accept-breaking");
    expect(snapshot(root)).toEqual(before);
  }, 120_000);

  it("Sezzle: with --accept-breaking, a major changeset", async () => {
    const root = await repoCopy();
    const result = await update(root, "sezzle", sezzleBreaking, { acceptBreaking: true });
    expect(result.exitCode).toBe(0);
    expect(result.changeset?.bumps).toEqual({
      "@refundkit/mock": "major",
      "@refundkit/sezzle": "major",
    });
    const changeset = changesetOf(root, result);
    expect(changeset).toContain(
      "- breaking (major): response 200 (application/json): field `uuid` removed (the field leaves the generated type: code that reads it no longer compiles)",
    );
    expect(changeset).toContain(
      "- breaking (major): parameter `Sezzle-Request-Id` (header): is now required",
    );
  }, 120_000);

  it("Optty: a removed response field and a required new request field", async () => {
    const root = await repoCopy();
    const before = snapshot(root);
    const next = opttyNext((doc) => {
      const dto = doc.components.schemas.OrderRefundDto;
      dto.properties.merchantId = { type: "string", description: "The merchant" };
      dto.required.push("merchantId");
      delete doc.components.schemas.RefundResponse.properties.callbackUrl;
    });
    const result = await update(root, "optty", next, { acceptBreaking: true });
    expect(result.report?.bump).toBe("major");
    const breaking = (result.report?.changes ?? [])
      .filter((change) => change.severity === "breaking")
      .map((change) => `${change.location.kind} ${change.what}`);
    expect(breaking).toEqual(
      expect.arrayContaining([
        "operation request body (application/json): `merchantId` is now required",
        "operation response 200 (application/json): field `callbackUrl` removed",
        "operation response 201 (application/json): field `callbackUrl` removed",
        "schema `merchantId` is now required",
        "schema field `callbackUrl` removed",
      ]),
    );
    // Visible in the overlaid document, so not reported as hidden by the overlay.
    expect(result.report?.hidden).toEqual([]);
    // The overlay's documented request example and examples/ lack the new field: reported, and
    // the lint that scripts/generate applies refuses the document, so nothing is written.
    expect(result.examples).toEqual([
      "examples/RefundsController_refundOrder.request.json: (body) must have required property 'merchantId'",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.errors.join("\n")).toContain(
      "no-invalid-media-type-examples Example value must conform to the schema: must have required property 'merchantId'",
    );
    expect(snapshot(root)).toEqual(before);
  }, 120_000);

  it("an upstream change the overlay hides (Sezzle's flattened Price) is refused naming the action", async () => {
    const root = await repoCopy();
    const next = sezzleNext((doc) => {
      doc.components.schemas.PriceBase.properties.reason = { type: "string" };
      doc.components.schemas.Price.allOf[1].required.push("reason");
    });
    const result = await update(root, "sezzle", next, { write: false });
    expect(result.exitCode).toBe(1);
    expect(result.report?.changes).toEqual([]);
    const hidden = result.report?.hidden ?? [];
    expect(hidden.map((change) => change.what)).toContain("`reason` is now required");
    expect(hidden.flatMap((change) => change.actions.map((action) => action.index))).toContain(4);
    expect(result.output).toContain("overlay action #4 $.components.schemas.PriceBase");
  }, 120_000);
});

describe("an overlay action that no longer matches: error naming it, nothing written", () => {
  it("Sezzle without a `Price` schema", async () => {
    const root = await repoCopy();
    const before = snapshot(root);
    const result = await update(root, "sezzle", sezzleNoPrice, { acceptBreaking: true });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /^specs\/sezzle\/overlay.yaml: 2 overlay action\(s\) cannot be applied/,
    );
    expect(result.output).toContain(
      'action #2 $.components.schemas.Price.allOf: remove target matches nothing; description: "`Price` is `allOf: [PriceBase, {required: [...]}]`;',
    );
    expect(result.output).toContain(
      'action #3 $.components.schemas.Price: update target matches nothing; description: "Flat `Price`:',
    );
    expect(snapshot(root)).toEqual(before);
  }, 120_000);

  it("Optty with a renamed error schema that a union target names", async () => {
    const root = await repoCopy();
    const before = snapshot(root);
    const next = opttyNext((doc) => {
      const schemas = doc.components.schemas;
      schemas.NotFoundError = schemas.NotFoundResponse;
      delete schemas.NotFoundResponse;
      const text = JSON.stringify(doc.paths).replaceAll(
        "#/components/schemas/NotFoundResponse",
        "#/components/schemas/NotFoundError",
      );
      doc.paths = JSON.parse(text);
    });
    const result = await update(root, "optty", next);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(
      "action #13 $.components.schemas['BadRequestResponse','UnauthorizedResponse','NotFoundResponse'].properties: matches nothing at $.components.schemas['NotFoundResponse'].properties; description: \"The documented 400 bodies carry",
    );
    expect(snapshot(root)).toEqual(before);
  }, 120_000);
});

describe("examples stay true", () => {
  it("an example file that no longer validates against the new document is reported", async () => {
    const root = await repoCopy();
    const next = sezzleNext((doc) => {
      // The refund answer's `uuid` becomes an integer: the checked-in 200 example has a string.
      sezzleOk(doc).schema.properties.uuid.type = "integer";
      sezzleOk(doc).example = { uuid: 1 };
    });
    const before = snapshot(root);
    const result = await update(root, "sezzle", next, { write: false, acceptBreaking: true });
    // spec:diff: classified and checked, exit 0 with --accept-breaking, and nothing written.
    expect(result.exitCode).toBe(0);
    expect(result.report?.changes.map((change) => [change.severity, change.what])).toContainEqual([
      "breaking",
      "response 200 (application/json) field `uuid`: `type` changed from string to integer",
    ]);
    expect(snapshot(root)).toEqual(before);
    expect(result.examples).toEqual([
      "examples/HandleRefundAmountByOrder.200.json: /uuid must be integer",
    ]);
    expect(result.output).toContain("1 example problem(s) in specs/sezzle/examples/");
  }, 120_000);
});

describe("the package check: a change that breaks the adapter", () => {
  it("Sezzle's refund path renamed: written with --accept-breaking, exit 3 naming src/adapter.ts", async () => {
    const root = await repoCopy();
    const next = sezzleNext((doc) => {
      doc.paths["/v2/orders/{order_uuid}/refund"] = doc.paths[SEZZLE_REFUND];
      delete doc.paths[SEZZLE_REFUND];
    });
    const result = await update(root, "sezzle", next, { acceptBreaking: true, checks: true });
    expect(result.report?.changes.map((change) => change.what)).toEqual(
      expect.arrayContaining(["operation removed", "operation added"]),
    );
    expect(result.exitCode).toBe(3);
    expect(result.check?.typecheck).toBe(false);
    expect(result.check?.adapterErrors.length).toBeGreaterThan(0);
    expect(result.check?.adapterErrors[0]).toMatch(/^src\/adapter\.ts:\d+:\d+ TS\d+: /);
    expect(result.output).toContain("the change broke the adapter: packages/sezzle/src/adapter.ts");
    expect(result.changeset?.bumps["@refundkit/sezzle"]).toBe("major");
  }, 300_000);
});

describe("the CLI", () => {
  /** `pnpm spec:update ...` as a process, the document on stdin. */
  function cli(args: string[], stdin: Buffer): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          join(rootDir, "node_modules/tsx/dist/loader.mjs"),
          "scripts/spec-update.ts",
          ...args,
        ],
        { cwd: rootDir, stdio: ["pipe", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr.on("data", (chunk) => {
        output += chunk;
      });
      child.on("close", (code) => resolve({ code: code ?? -1, output }));
      child.stdin.end(stdin);
    });
  }

  it("update - (stdin) --skip-checks writes the bytes read; a bad invocation is exit 2", async () => {
    const root = await repoCopy();
    const run = await cli(
      ["update", "sezzle", "-", "--root", root, "--skip-checks"],
      sezzleAdditive,
    );
    expect(run.output).toContain("wrote specs/sezzle/openapi.yaml");
    expect(run.output).toMatch(
      /wrote \.changeset\/spec-sezzle-[0-9a-f]{10}\.md \(@refundkit\/mock: minor, @refundkit\/sezzle: minor\)/,
    );
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, "specs/sezzle/openapi.yaml")).equals(sezzleAdditive)).toBe(true);
    expect((await cli(["update", "sezzle"], Buffer.alloc(0))).code).toBe(2);
    expect((await cli(["diff", "nowhere", "-", "--root", root], sezzleAdditive)).code).toBe(1);
  }, 120_000);
});

describe("building blocks", () => {
  it("parseTypeErrors splits the adapter's errors from the rest", () => {
    const output = [
      "src/adapter.ts(114,11): error TS2345: Argument of type '\"/v2/order/{order_uuid}/refund\"' is not assignable.",
      "test/adapter.test.ts(3,1): error TS2304: Cannot find name 'x'.",
      "  continuation line",
    ].join("\n");
    expect(parseTypeErrors(output)).toEqual({
      adapter: [
        "src/adapter.ts:114:11 TS2345: Argument of type '\"/v2/order/{order_uuid}/refund\"' is not assignable.",
      ],
      other: ["test/adapter.test.ts:3:1 TS2304: Cannot find name 'x'."],
    });
  });

  it("targetSegments follows names, unions, wildcards and filters", () => {
    expect(targetSegments("$.paths['/a'].*.responses[?(@.x)]")).toEqual([
      { names: ["paths"] },
      { names: ["/a"] },
      { names: null },
      { names: ["responses"] },
      { names: null },
    ]);
    expect(targetSegments("$.components.schemas['A','B']")?.[2]).toEqual({ names: ["A", "B"] });
    expect(targetSegments("$..description")).toBeNull();
  });

  it("the same document twice: no change, no bump", async () => {
    const { document } = await loadSpec("optty");
    const report = diffSpecs({
      provider: "optty",
      oldUpstream: {},
      newUpstream: {},
      oldOverlaid: document,
      newOverlaid: structuredClone(document),
      actions: [],
    });
    expect(report).toMatchObject({ changes: [], hidden: [], bump: null, breaking: false });
  });
});
