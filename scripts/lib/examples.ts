/**
 * specs/<p>/examples/: documented requests and responses, one JSON file each, named
 * `<operationId>.<request|STATUS>[.<case>].json`, validated against the overlaid document with
 * the mock's Ajv 2020-12 validator (the same check the mock applies to live traffic).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createSpecValidator,
  type SpecValidator,
  type ValidationResult,
} from "../../packages/mock/src/openapi/validator.js";
import type { OpenApiDocument } from "./specs.js";

/** `<operationId>.<request|STATUS>[.<case>].json` */
export const EXAMPLE_NAME = /^([^.]+)\.(request|\d{3})(?:\.([a-z0-9]+(?:-[a-z0-9]+)*))?\.json$/;

/** Problems with one example file; empty when it is well named and valid against the spec. */
export function checkExampleFile(
  validator: SpecValidator,
  fileName: string,
  body: unknown,
): string[] {
  const match = EXAMPLE_NAME.exec(fileName);
  if (match === null) {
    return [`${fileName}: not named <operationId>.<request|STATUS>[.<case>].json`];
  }
  const [, operationId = "", kind = ""] = match;
  if (!validator.operationIds.includes(operationId)) {
    return [`${fileName}: no operation "${operationId}" in the spec`];
  }
  const result: ValidationResult =
    kind === "request"
      ? validator.validateRequestBody(operationId, body)
      : validator.validateResponse(operationId, kind, body);
  return result.valid ? [] : result.errors.map((error) => `${fileName}: ${error}`);
}

/** The example file names in `dir`, sorted; none when the folder does not exist. */
export function exampleFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => !name.startsWith("."))
        .sort()
    : [];
}

/**
 * Every file in `<root>/specs/<provider>/examples/` checked against `document`: one line per
 * problem (`examples/<file>: ...`), empty when all of them still validate.
 */
export function checkExamples(root: string, provider: string, document: OpenApiDocument): string[] {
  const dir = join(root, "specs", provider, "examples");
  const validator = createSpecValidator(document);
  return exampleFiles(dir).flatMap((fileName) => {
    let body: unknown;
    try {
      body = JSON.parse(readFileSync(join(dir, fileName), "utf8"));
    } catch (error) {
      return [`examples/${fileName}: not JSON: ${error instanceof Error ? error.message : error}`];
    }
    return checkExampleFile(validator, fileName, body).map((problem) => `examples/${problem}`);
  });
}
