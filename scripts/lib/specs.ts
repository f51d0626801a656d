import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openapiOverlay } from "openapi-format";
import { parse as parseYaml } from "yaml";

export const rootDir = fileURLToPath(new URL("../../", import.meta.url));
export const specsDir = join(rootDir, "specs");

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  servers?: Array<{ url: string; description?: string; [extension: `x-${string}`]: unknown }>;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

export interface LoadedSpec {
  provider: string;
  /** Path of the spec document as checked in (upstream bytes for Sezzle and Optty). */
  sourcePath: string;
  overlayPath: string | null;
  /** The spec with its overlay applied: what types, clients and mocks are built from. */
  document: OpenApiDocument;
}

/** Every folder under specs/ is one provider. */
export function listProviders(): string[] {
  return readdirSync(specsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function specSourcePath(provider: string): string {
  for (const name of ["openapi.yaml", "openapi.json"]) {
    const path = join(specsDir, provider, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`specs/${provider}/ has no openapi.yaml or openapi.json`);
}

function parseDocument(path: string): unknown {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
}

/**
 * Loads specs/<provider>/ and applies its OpenAPI Overlay 1.0 file, if any. An overlay action
 * that matches nothing is an error: it means the upstream document moved under the fix.
 */
export async function loadSpec(provider: string): Promise<LoadedSpec> {
  const sourcePath = specSourcePath(provider);
  const overlayPath = join(specsDir, provider, "overlay.yaml");
  const source = parseDocument(sourcePath) as OpenApiDocument;
  if (!existsSync(overlayPath)) {
    return { provider, sourcePath, overlayPath: null, document: source };
  }
  const overlaySet = parseDocument(overlayPath) as { overlay?: string; actions?: unknown[] };
  if (!overlaySet.overlay?.startsWith("1.0")) {
    throw new Error(`specs/${provider}/overlay.yaml: expected "overlay: 1.0.x"`);
  }
  const { data, resultData } = (await openapiOverlay(structuredClone(source), { overlaySet })) as {
    data: OpenApiDocument;
    resultData: { unusedActions: Array<{ target?: string }> };
  };
  if (resultData.unusedActions.length > 0) {
    const targets = resultData.unusedActions.map((action) => action.target).join(", ");
    throw new Error(`specs/${provider}/overlay.yaml: actions matched nothing: ${targets}`);
  }
  return { provider, sourcePath, overlayPath, document: data };
}
