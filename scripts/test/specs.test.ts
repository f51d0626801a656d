import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createSpecValidator,
  type SpecValidator,
} from "../../packages/mock/src/openapi/validator.js";
import { checkExampleFile, exampleFiles } from "../lib/examples.js";
import { listProviders, loadSpec, type OpenApiDocument, rootDir, specsDir } from "../lib/specs.js";

const seedsDir = join(rootDir, "..", "shared", "seeds");

/** The upstream specs kept byte for byte: seed file prefix, fence opener, checked-in file. */
const upstream = [
  { provider: "sezzle", seed: "000_", fence: "````yaml", file: "openapi.yaml" },
  { provider: "optty", seed: "001_", fence: "```json", file: "openapi.json" },
] as const;

/** The contents of the first fenced block opened by `fence` (a line starting with it). */
function extractFencedBlock(text: string, fence: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(fence));
  if (start === -1) throw new Error(`no block opened by ${fence}`);
  const ticks = /^`+/.exec(fence)?.[0] ?? "```";
  const end = lines.findIndex((line, index) => index > start && line.trimEnd() === ticks);
  if (end === -1) throw new Error(`block opened by ${fence} is not closed`);
  return lines.slice(start + 1, end).join("\n");
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deref(document: OpenApiDocument, node: unknown): JsonObject | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops += 1) {
    if (hops > 10 || !current.$ref.startsWith("#/")) return undefined;
    current = current.$ref
      .slice(2)
      .split("/")
      .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((parent, key) => (isObject(parent) ? parent[key] : undefined), document);
  }
  return isObject(current) ? current : undefined;
}

/** The operationIds of the document's OpenAPI 3.1 `webhooks`. */
function webhookOperationIds(document: OpenApiDocument): string[] {
  const webhooks = isObject(document.webhooks) ? document.webhooks : {};
  return Object.values(webhooks).flatMap((item) =>
    isObject(item)
      ? Object.values(item).flatMap((operation) =>
          isObject(operation) && typeof operation.operationId === "string"
            ? [operation.operationId]
            : [],
        )
      : [],
  );
}

/** Whether the path operation `operationId` declares a request body. */
function hasRequestBody(document: OpenApiDocument, operationId: string): boolean {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (isObject(operation) && operation.operationId === operationId) {
        return operation.requestBody !== undefined;
      }
    }
  }
  return false;
}

interface NamedExample {
  label: string;
  operationId: string;
  /** "request" or the response key ("200", "4XX", "default"). */
  kind: string;
  mediaType: string;
  value: unknown;
}

/** Every media-type `example` and `examples` entry of every operation's request and responses. */
function namedExamples(document: OpenApiDocument): NamedExample[] {
  const found: NamedExample[] = [];
  const collect = (operationId: string, kind: string, holder: JsonObject | undefined) => {
    const content = holder?.content;
    if (!isObject(content)) return;
    for (const [mediaType, rawMedia] of Object.entries(content)) {
      if (!isObject(rawMedia)) continue;
      const label = `${operationId} ${kind} ${mediaType}`;
      if ("example" in rawMedia) {
        found.push({ label, operationId, kind, mediaType, value: rawMedia.example });
      }
      if (isObject(rawMedia.examples)) {
        for (const [name, rawExample] of Object.entries(rawMedia.examples)) {
          const example = deref(document, rawExample);
          if (example === undefined || !("value" in example)) continue;
          const value = example.value;
          found.push({ label: `${label} "${name}"`, operationId, kind, mediaType, value });
        }
      }
    }
  };
  const items = [
    ...Object.entries(document.paths),
    ...Object.entries(isObject(document.webhooks) ? document.webhooks : {}),
  ];
  for (const [pathTemplate, rawPathItem] of items) {
    const pathItem = deref(document, rawPathItem) ?? {};
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      const operationId =
        typeof operation.operationId === "string"
          ? operation.operationId
          : `${method.toUpperCase()} ${pathTemplate}`;
      collect(operationId, "request", deref(document, operation.requestBody));
      for (const [status, response] of Object.entries(operation.responses)) {
        collect(operationId, status, deref(document, response));
      }
    }
  }
  return found;
}

describe("upstream specs are the seeds' code blocks, byte for byte", () => {
  for (const { provider, seed, fence, file } of upstream) {
    it(`specs/${provider}/${file}`, () => {
      const seedFile = readdirSync(seedsDir).find((name) => name.startsWith(seed));
      expect(seedFile, `a seed ${seed}* in ${seedsDir}`).toBeDefined();
      const block = extractFencedBlock(readFileSync(join(seedsDir, seedFile!), "utf8"), fence);
      const expected = Buffer.from(`${block}\n`, "utf8");
      const actual = readFileSync(join(specsDir, provider, file));
      expect(actual.equals(expected)).toBe(true);
    });
  }
});

const providers = listProviders().filter((provider) => {
  const dir = join(specsDir, provider);
  return ["openapi.yaml", "openapi.json"].some((name) => existsSync(join(dir, name)));
});

describe.each(providers)("specs/%s", (provider) => {
  let document: OpenApiDocument;
  let validator: SpecValidator;
  const examplesDir = join(specsDir, provider, "examples");
  const files = exampleFiles(examplesDir);

  beforeAll(async () => {
    document = (await loadSpec(provider)).document;
    validator = createSpecValidator(document);
  });

  it.each(files.length > 0 ? files : ["(no example files)"])(
    "examples/%s validates against the overlaid spec",
    (fileName) => {
      if (files.length === 0) return;
      const body: unknown = JSON.parse(readFileSync(join(examplesDir, fileName), "utf8"));
      expect(checkExampleFile(validator, fileName, body)).toEqual([]);
    },
  );

  it("every example inside the overlaid spec validates", () => {
    const problems = namedExamples(document).flatMap(
      ({ label, operationId, kind, mediaType, value }) => {
        const result =
          kind === "request"
            ? validator.validateRequestBody(operationId, value, mediaType)
            : validator.validateResponse(operationId, kind, value, mediaType);
        return result.valid ? [] : result.errors.map((error) => `${label}: ${error}`);
      },
    );
    expect(problems).toEqual([]);
  });
});

describe("Sezzle and Optty examples cover every operation", () => {
  for (const provider of ["sezzle", "optty"]) {
    it(provider, async () => {
      const { document } = await loadSpec(provider);
      const operationIds = createSpecValidator(document).operationIds;
      const files = readdirSync(join(specsDir, provider, "examples"));
      expect(operationIds.length).toBeGreaterThan(1);
      // The overlays document every operation with inline examples too (checked above).
      const inline = new Set(namedExamples(document).map((example) => example.operationId));
      expect([...inline].sort()).toEqual([...operationIds].sort());
      const webhooks = new Set(webhookOperationIds(document));
      for (const operationId of operationIds) {
        // A webhook is a request the provider sends: its example is the body it posts.
        if (hasRequestBody(document, operationId) || webhooks.has(operationId)) {
          expect(files).toContain(`${operationId}.request.json`);
        }
        if (webhooks.has(operationId)) continue;
        expect(files).toContain(`${operationId}.200.json`);
        expect(files.some((name) => new RegExp(`^${operationId}\\.4\\d\\d[.]`).test(name))).toBe(
          true,
        );
      }
    });
  }
});

describe("the example check itself", () => {
  let sezzle: SpecValidator;
  beforeAll(async () => {
    sezzle = createSpecValidator((await loadSpec("sezzle")).document);
  });

  it("fails a file named after an operation the spec does not have", () => {
    expect(checkExampleFile(sezzle, "RefundOrder.200.json", { uuid: "x" })).toEqual([
      'RefundOrder.200.json: no operation "RefundOrder" in the spec',
    ]);
  });

  it("fails a file for a status the operation does not document", () => {
    expect(checkExampleFile(sezzle, "HandleRefundAmountByOrder.201.json", { uuid: "x" })).toEqual([
      "HandleRefundAmountByOrder.201.json: HandleRefundAmountByOrder has no response for status 201",
    ]);
  });

  it("fails a misnamed file and a body that breaks the schema", () => {
    expect(checkExampleFile(sezzle, "HandleRefundAmountByOrder.ok.json", {})).toHaveLength(1);
    expect(checkExampleFile(sezzle, "HandleRefundAmountByOrder.json", {})).toHaveLength(1);
    expect(
      checkExampleFile(sezzle, "HandleRefundAmountByOrder.request.json", { amount_in_cents: 5000 }),
    ).toEqual([
      "HandleRefundAmountByOrder.request.json: (body) must have required property 'currency'",
    ]);
    expect(
      checkExampleFile(sezzle, "HandleRefundAmountByOrder.400.bad.json", {
        code: "bad_request",
        message: "bad request",
      }),
    ).toEqual(["HandleRefundAmountByOrder.400.bad.json: (body) must be array"]);
  });

  it("extracts the seed's fenced block without the fences", () => {
    expect(extractFencedBlock("a\n````yaml x\nk: v\n```\nz: 1\n````\nb", "````yaml")).toBe(
      "k: v\n```\nz: 1",
    );
  });
});
