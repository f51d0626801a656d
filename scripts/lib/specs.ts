import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
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

/** Every folder under specs/ is one provider. `root` defaults to the repository root. */
export function listProviders(root: string = rootDir): string[] {
  return readdirSync(join(root, "specs"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function specSourcePath(provider: string, root: string = rootDir): string {
  for (const name of ["openapi.yaml", "openapi.json"]) {
    const path = join(root, "specs", provider, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`specs/${provider}/ has no openapi.yaml or openapi.json (spec not written yet?)`);
}

function parseDocument(path: string, label: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: cannot parse: ${reason}`);
  }
}

/**
 * Loads specs/<provider>/ and applies its OpenAPI Overlay 1.0 file, if any. An overlay action
 * that matches nothing is an error: it means the upstream document moved under the fix.
 */
export async function loadSpec(provider: string, root: string = rootDir): Promise<LoadedSpec> {
  const sourcePath = specSourcePath(provider, root);
  const overlayPath = join(root, "specs", provider, "overlay.yaml");
  const source = parseDocument(sourcePath, `specs/${provider}/${basename(sourcePath)}`);
  if (source === null || typeof source !== "object" || Array.isArray(source)) {
    throw new Error(
      `specs/${provider}/${basename(sourcePath)}: not an OpenAPI document (an object)`,
    );
  }
  if (!existsSync(overlayPath)) {
    return { provider, sourcePath, overlayPath: null, document: source as OpenApiDocument };
  }
  const overlaySet = parseDocument(overlayPath, `specs/${provider}/overlay.yaml`) as {
    overlay?: string;
    actions?: Array<{ target: string; update?: unknown; remove?: boolean }>;
  };
  if (!overlaySet.overlay?.startsWith("1.0")) {
    throw new Error(`specs/${provider}/overlay.yaml: expected "overlay: 1.0.x"`);
  }
  if (!Array.isArray(overlaySet.actions)) {
    throw new Error(`specs/${provider}/overlay.yaml: expected an "actions" list`);
  }
  const { data, resultData } = (await openapiOverlay(structuredClone(source), {
    overlaySet: { ...overlaySet, actions: overlaySet.actions },
  })) as {
    data: OpenApiDocument;
    resultData: { unusedActions: Array<{ target?: string }> };
  };
  if (resultData.unusedActions.length > 0) {
    const targets = resultData.unusedActions.map((action) => action.target).join(", ");
    throw new Error(`specs/${provider}/overlay.yaml: actions matched nothing: ${targets}`);
  }
  return { provider, sourcePath, overlayPath, document: data };
}
