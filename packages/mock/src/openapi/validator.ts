/**
 * Runtime validation of request and response bodies against an (overlaid) OpenAPI 3.1 document.
 *
 * The whole document is added to one Ajv (JSON Schema 2020-12) instance under a private `$id`, and
 * each body is validated against `{ $ref: "<id>#/<pointer to the media type's schema>" }`, so
 * `#/components/...` references inside schemas resolve as written. Validators compile lazily on
 * first use and are cached. No Node-only API: this runs in msw's browser worker too.
 * Requests are routed by msw (the handlers are registered at the generated `paths`, see
 * ../spec-http.ts), not here: this module only validates.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

/** Whether a request or response matches the spec, with the reasons when it does not. */
export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

/** Validates requests and responses against one provider's overlaid spec (Ajv, OpenAPI 3.1). */
export interface SpecValidator {
  /** Every operationId in the document, in document order. */
  readonly operationIds: readonly string[];
  /**
   * Validates a request body. `body === undefined` means no body. The media type defaults to
   * `application/json` (or the operation's only/first one); a form body is passed as an object of
   * its fields.
   */
  validateRequestBody(operationId: string, body: unknown, mediaType?: string): ValidationResult;
  /**
   * Validates path and header parameters (operation- and path-level, `$ref`s followed) against
   * their schemas: required ones must be present. Header names are matched case-insensitively;
   * `headers` may be a request's own `Headers`, or any object with `Headers`' `get(name)` (only
   * the declared ones are read). Path values
   * are strings; schemas typed as numbers or booleans get the coerced value.
   */
  validateParameters(
    operationId: string,
    values: { path?: Record<string, string>; headers?: Record<string, string> | HeaderSource },
  ): ValidationResult;
  /**
   * Validates a response body for an HTTP status (exact code, then `4XX`-style range, then
   * `default`). A response that declares no content accepts only an absent body.
   */
  validateResponse(
    operationId: string,
    status: number | string,
    body: unknown,
    mediaType?: string,
  ): ValidationResult;
}

/** What `validateParameters` reads header fields through: a `Headers`, or one like it. */
export interface HeaderSource {
  /** The field's value (repeated fields joined with ", "), null when absent; name case-insensitive. */
  get(name: string): string | null;
}

/**
 * Internal (the mock's own validators): a `SpecValidator` whose request validators can be
 * compiled ahead of the first request.
 */
export interface PreparedSpecValidator extends SpecValidator {
  /**
   * Compiles now the validators of `operationId`'s path and header parameters and of its request
   * body (every media type), instead of on first use. Unknown operationIds are ignored.
   */
  prepare(operationId: string): void;
}

type JsonObject = Record<string, unknown>;

interface OperationEntry {
  operationId: string;
  /** JSON pointer (without `#`) of the Operation Object. */
  pointer: string;
  operation: JsonObject;
  /** Path-level then operation-level parameters (operation wins), with their schema pointers. */
  parameters: ParameterEntry[];
}

interface ParameterEntry {
  name: string;
  in: string;
  required: boolean;
  schemaPointer: string | undefined;
  schemaType: unknown;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** `ajv-formats` is CommonJS; depending on the loader its default import is the plugin or wraps it. */
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats: FormatsPlugin =
  typeof addFormatsModule === "function"
    ? (addFormatsModule as unknown as FormatsPlugin)
    : (addFormatsModule as unknown as { default: FormatsPlugin }).default;

let documentCounter = 0;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function resolvePointer(document: JsonObject, pointer: string): unknown {
  if (pointer === "") return document;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = unescapePointerSegment(raw);
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/**
 * Follows `$ref`s between OpenAPI objects (Response, Request Body...) inside the document.
 * Returns the object and the pointer where it really lives, so schemas under it are addressed
 * there.
 */
function dereference(
  document: JsonObject,
  node: unknown,
  pointer: string,
): { node: JsonObject; pointer: string } | undefined {
  let current = node;
  let currentPointer = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (!ref.startsWith("#") || seen.has(ref)) return undefined;
    seen.add(ref);
    currentPointer = decodeURIComponent(ref.slice(1));
    current = resolvePointer(document, currentPointer);
  }
  return isObject(current) ? { node: current, pointer: currentPointer } : undefined;
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(body)" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.additionalProperty === "string"
      ? ` '${params.additionalProperty}'`
      : Array.isArray(params.allowedValues)
        ? ` ${JSON.stringify(params.allowedValues)}`
        : "";
  return `${where} ${error.message ?? "is invalid"}${detail}`;
}

function pickMediaType(content: JsonObject, requested: string | undefined): string | undefined {
  const types = Object.keys(content);
  if (requested !== undefined) {
    const base = requested.split(";")[0]?.trim().toLowerCase() ?? "";
    return types.find((type) => type.toLowerCase() === base);
  }
  return (
    types.find((type) => type === "application/json") ??
    types.find((type) => /^application\/[^;]*\+json$/.test(type)) ??
    types[0]
  );
}

/** Compiles validators for an OpenAPI 3.1 document. The document must not be mutated afterwards. */
export function createSpecValidator(document: object): SpecValidator {
  return createPreparedSpecValidator(document);
}

/** `createSpecValidator`, with `prepare` (internal: the mock's HTTP server compiles at start). */
export function createPreparedSpecValidator(document: object): PreparedSpecValidator {
  if (!isObject(document) || !isObject(document.paths)) {
    throw new TypeError("createSpecValidator: not an OpenAPI document (no `paths` object)");
  }
  const doc = document;
  const docPaths = document.paths;
  documentCounter += 1;
  const documentId = `https://refundkit.invalid/openapi/${documentCounter}.json`;

  const ajv = new Ajv2020({
    // OpenAPI adds keywords to Schema Objects (`example`, `discriminator`, `xml`, `externalDocs`,
    // `x-*`); non-strict Ajv ignores them instead of refusing the schema.
    strict: false,
    allErrors: true,
    // The document is not a JSON Schema as a whole; each referenced subschema is compiled alone.
    validateSchema: false,
  });
  addFormats(ajv);
  ajv.addSchema(doc, documentId);

  const operations = new Map<string, OperationEntry>();
  // OpenAPI 3.1 `webhooks` are operations too: their bodies validate like requests (examples,
  // and the mock's own deliveries).
  const containers: Array<[string, JsonObject]> = [["paths", docPaths]];
  if (isObject(doc.webhooks)) containers.push(["webhooks", doc.webhooks]);
  for (const [container, pathTemplate, rawPathItem] of containers.flatMap(([name, items]) =>
    Object.entries(items).map(([key, value]) => [name, key, value] as const),
  )) {
    const pathPointer = `/${container}/${escapePointerSegment(pathTemplate)}`;
    const pathItem = dereference(doc, rawPathItem, pathPointer);
    if (pathItem === undefined) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem.node[method];
      if (!isObject(operation)) continue;
      const operationId =
        typeof operation.operationId === "string"
          ? operation.operationId
          : `${method.toUpperCase()} ${pathTemplate}`;
      if (operations.has(operationId)) {
        throw new Error(`createSpecValidator: duplicate operationId "${operationId}"`);
      }
      const parameters = new Map<string, ParameterEntry>();
      const collect = (list: unknown, listPointer: string) => {
        if (!Array.isArray(list)) return;
        list.forEach((raw, index) => {
          const resolved = dereference(doc, raw, `${listPointer}/${index}`);
          if (resolved === undefined) return;
          const { node, pointer } = resolved;
          if (typeof node.name !== "string" || typeof node.in !== "string") return;
          const schema = isObject(node.schema) ? node.schema : undefined;
          parameters.set(`${node.in}:${node.name.toLowerCase()}`, {
            name: node.name,
            in: node.in,
            required: node.required === true || node.in === "path",
            schemaPointer: schema === undefined ? undefined : `${pointer}/schema`,
            schemaType: schema?.type,
          });
        });
      };
      collect(pathItem.node.parameters, `${pathItem.pointer}/parameters`);
      collect(operation.parameters, `${pathItem.pointer}/${method}/parameters`);
      operations.set(operationId, {
        parameters: [...parameters.values()],
        operationId,
        pointer: `${pathItem.pointer}/${method}`,
        operation,
      });
    }
  }
  const operationIds = [...operations.keys()];
  const cache = new Map<string, ValidateFunction>();
  function validatorFor(schemaPointer: string): ValidateFunction {
    let validate = cache.get(schemaPointer);
    if (validate === undefined) {
      const fragment = schemaPointer.split("/").map(encodeURIComponent).join("/");
      validate = ajv.compile({ $ref: `${documentId}#${fragment}` });
      cache.set(schemaPointer, validate);
    }
    return validate;
  }

  // An operation's Request Body Object, resolved once (the document is not mutated afterwards).
  const requestBodies = new Map<
    OperationEntry,
    { node: JsonObject; pointer: string } | undefined
  >();
  function requestBodyOf(entry: OperationEntry) {
    if (!requestBodies.has(entry)) {
      requestBodies.set(
        entry,
        dereference(doc, entry.operation.requestBody, `${entry.pointer}/requestBody`),
      );
    }
    return requestBodies.get(entry);
  }

  function run(schemaPointer: string, body: unknown): ValidationResult {
    const validate = validatorFor(schemaPointer);
    if (validate(body)) return { valid: true };
    return { valid: false, errors: (validate.errors ?? []).map(formatError) };
  }

  function invalid(message: string): ValidationResult {
    return { valid: false, errors: [message] };
  }

  function validateContent(
    label: string,
    content: unknown,
    contentPointer: string,
    body: unknown,
    mediaType: string | undefined,
  ): ValidationResult {
    if (!isObject(content) || Object.keys(content).length === 0) {
      return body === undefined || body === ""
        ? { valid: true }
        : invalid(`${label} declares no body, but one was given`);
    }
    // The media type the operation answers by default (no `mediaType`: JSON bodies, most calls)
    // is picked once per content object, with its schema's pointer.
    let chosen: string | undefined;
    let pointer: string | undefined;
    if (mediaType === undefined) {
      let picked = defaultMedia.get(content);
      if (picked === undefined) {
        const type = pickMediaType(content, undefined);
        picked = {
          type,
          pointer:
            type === undefined
              ? undefined
              : `${contentPointer}/${escapePointerSegment(type)}/schema`,
        };
        defaultMedia.set(content, picked);
      }
      chosen = picked.type;
      pointer = picked.pointer;
    } else {
      chosen = pickMediaType(content, mediaType);
      if (chosen !== undefined)
        pointer = `${contentPointer}/${escapePointerSegment(chosen)}/schema`;
    }
    if (chosen === undefined || pointer === undefined) {
      return invalid(`${label} has no media type ${mediaType ?? ""}`.trim());
    }
    const media = content[chosen];
    if (!isObject(media) || media.schema === undefined) return { valid: true };
    return run(pointer, body);
  }
  /** Per Content object (the document is not mutated): its default media type and schema pointer. */
  const defaultMedia = new WeakMap<
    object,
    { type: string | undefined; pointer: string | undefined }
  >();

  return {
    operationIds,

    prepare(operationId) {
      const entry = operations.get(operationId);
      if (entry === undefined) return;
      for (const parameter of entry.parameters) {
        if (parameter.schemaPointer !== undefined) validatorFor(parameter.schemaPointer);
      }
      const requestBody = requestBodyOf(entry);
      const content = requestBody?.node.content;
      if (requestBody === undefined || !isObject(content)) return;
      for (const [mediaType, media] of Object.entries(content)) {
        if (isObject(media) && media.schema !== undefined) {
          validatorFor(`${requestBody.pointer}/content/${escapePointerSegment(mediaType)}/schema`);
        }
      }
    },

    validateRequestBody(operationId, body, mediaType) {
      const entry = operations.get(operationId);
      if (entry === undefined) return invalid(`unknown operationId "${operationId}"`);
      const requestBody = requestBodyOf(entry);
      if (requestBody === undefined) {
        return body === undefined || body === ""
          ? { valid: true }
          : invalid(`${operationId} takes no request body, but one was given`);
      }
      if (body === undefined) {
        return requestBody.node.required === true
          ? invalid(`${operationId} requires a request body`)
          : { valid: true };
      }
      return validateContent(
        `${operationId} request`,
        requestBody.node.content,
        `${requestBody.pointer}/content`,
        body,
        mediaType,
      );
    },

    validateParameters(operationId, values) {
      const entry = operations.get(operationId);
      if (entry === undefined) return invalid(`unknown operationId "${operationId}"`);
      const given = values.headers;
      let byName: Map<string, string> | undefined;
      const header = (name: string): string | undefined => {
        if (given === undefined) return undefined;
        // A Headers-like `get` (a Record's values are strings, never functions).
        if (typeof given.get === "function") return (given as HeaderSource).get(name) ?? undefined;
        byName ??= new Map(
          Object.entries(given as Record<string, string>).map(
            ([key, value]) => [key.toLowerCase(), value] as const,
          ),
        );
        return byName.get(name.toLowerCase());
      };
      const errors: string[] = [];
      for (const parameter of entry.parameters) {
        let value: string | undefined;
        if (parameter.in === "path") value = values.path?.[parameter.name];
        else if (parameter.in === "header") {
          value = mediaHeader(parameter.name, header(parameter.name));
        } else continue;
        if (value === undefined) {
          if (parameter.required)
            errors.push(`${parameter.in} parameter ${parameter.name} is required`);
          continue;
        }
        if (parameter.schemaPointer === undefined) continue;
        const coerced =
          parameter.schemaType === "integer" || parameter.schemaType === "number"
            ? Number(value)
            : parameter.schemaType === "boolean"
              ? value === "true"
                ? true
                : value === "false"
                  ? false
                  : value
              : value;
        const result = run(parameter.schemaPointer, coerced);
        if (!result.valid) {
          errors.push(
            ...result.errors.map(
              (error) =>
                `${parameter.in} parameter ${parameter.name}${error.replace(/^\(body\)/, "")}`,
            ),
          );
        }
      }
      return errors.length === 0 ? { valid: true } : { valid: false, errors };
    },

    validateResponse(operationId, status, body, mediaType) {
      const entry = operations.get(operationId);
      if (entry === undefined) return invalid(`unknown operationId "${operationId}"`);
      const responses = entry.operation.responses;
      if (!isObject(responses)) return invalid(`${operationId} declares no responses`);
      const code = String(status);
      const key = [code, `${code.charAt(0)}XX`, `${code.charAt(0)}xx`, "default"].find(
        (candidate) => responses[candidate] !== undefined,
      );
      if (key === undefined) return invalid(`${operationId} has no response for status ${code}`);
      const response = dereference(
        doc,
        responses[key],
        `${entry.pointer}/responses/${escapePointerSegment(key)}`,
      );
      if (response === undefined) return invalid(`${operationId} ${key}: unresolvable response`);
      return validateContent(
        `${operationId} ${key} response`,
        response.node.content,
        `${response.pointer}/content`,
        body,
        mediaType,
      );
    },
  };
}

/**
 * Content-Type and Accept compared as HTTP means them, not as strings: "application/json;
 * charset=utf-8" is application/json, and an Accept of only wildcards (curl's default) accepts
 * whatever the operation answers, so it is not checked against the documented value.
 */
function mediaHeader(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = name.toLowerCase();
  if (lower === "content-type") return value.split(";")[0]?.trim().toLowerCase();
  if (lower !== "accept") return value;
  const ranges = value.split(",").map((range) => range.split(";")[0]?.trim().toLowerCase() ?? "");
  return ranges.find((range) => range !== "" && !range.includes("*"));
}
