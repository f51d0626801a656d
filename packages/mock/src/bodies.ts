/**
 * Reading requests and writing the answers every provider shares: JSON bodies that may be
 * absent or broken, bearer tokens, headers and the HTML error pages a proxy sends.
 */
import { type MockAnswer, reasonPhrase, textAnswer } from "./answers.js";
import type { SpecValidator } from "./openapi/validator.js";
import type { MockRequest } from "./request.js";

export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; text: string; error: string };

export async function readJsonBody(request: MockRequest): Promise<ParsedBody> {
  const text = await request.text();
  if (text.trim() === "") return { kind: "none" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: "invalid", text, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The last Authorization header read and its token: a client sends the same one each time. */
let lastBearer: { header: string; token: string | undefined } = { header: "", token: undefined };

export function bearerToken(request: MockRequest): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  if (header !== lastBearer.header) {
    lastBearer = { header, token: /^Bearer ([^\s]+)$/.exec(header)?.[1] };
  }
  return lastBearer.token;
}

export function htmlError(status: number, headers?: Record<string, string>): MockAnswer {
  const reason = reasonPhrase(status) || "Error";
  return textAnswer(
    `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center><hr><center>nginx</center></body></html>\n`,
    status,
    "text/html; charset=utf-8",
    headers,
  );
}

/** How a provider answers each way a request can fail its spec (each provider words it its own way). */
export interface SpecRefusals {
  /** A path or header parameter fails its schema. */
  parameters(errors: string[]): Response;
  /** The body is not JSON. */
  json(error: string): Response;
  /** The body fails its schema (or is absent where the spec requires it). */
  body(errors: string[]): Response;
  /** The body is absent although the spec allows that: given when the provider still refuses it. */
  missing?(): Response;
}

/**
 * Checks a request against its operation in the spec, in the order the providers do: path and
 * header parameters, then the JSON body. Gives the body, typed as the generated `paths` describe
 * it once the validator has accepted it, or the provider's refusal. Without `missing`, an absent
 * body the spec allows is `undefined`.
 */
type CheckArgs<Refusals extends SpecRefusals> = [
  validator: SpecValidator,
  operationId: string,
  request: MockRequest,
  path: Record<string, string>,
  refuse: Refusals,
];
type Checked<Body> = { body: Body } | { refused: Response };

export function checkRequest<Body>(
  ...args: CheckArgs<SpecRefusals & { missing(): Response }>
): Promise<Checked<Body>>;
export function checkRequest<Body>(
  ...args: CheckArgs<SpecRefusals>
): Promise<Checked<Body | undefined>>;
export async function checkRequest<Body>(
  ...[validator, operationId, request, path, refuse]: CheckArgs<SpecRefusals>
): Promise<Checked<Body | undefined>> {
  const parameters = validator.validateParameters(operationId, {
    path,
    headers: request.headers,
  });
  if (!parameters.valid) return { refused: refuse.parameters(parameters.errors) };
  const parsed = await readJsonBody(request);
  if (parsed.kind === "invalid") return { refused: refuse.json(parsed.error) };
  const value = parsed.kind === "json" ? parsed.value : undefined;
  const checked = validator.validateRequestBody(operationId, value);
  if (!checked.valid) return { refused: refuse.body(checked.errors) };
  if (value === undefined && refuse.missing !== undefined) return { refused: refuse.missing() };
  return { body: value as Body | undefined };
}
