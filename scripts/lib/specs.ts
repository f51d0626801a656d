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
  return parseSpecText(readFileSync(path, "utf8"), path, label);
}

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/** One overlay action that cannot be applied; `index` counts from 1 in the file's order. */
export interface OverlayProblem {
  index: number;
  target: string;
  description: string | null;
  reason: string;
}

/**
 * An overlay that does not apply cleanly. The message names every failing action with its
 * `description`, so a reviewer sees which fix the upstream document moved under.
 */
export class OverlayError extends Error {
  readonly problems: OverlayProblem[];
  constructor(label: string, problems: OverlayProblem[]) {
    const lines = problems.map((problem) => {
      const said = problem.description === null ? "(no description)" : `"${problem.description}"`;
      return `  action #${problem.index} ${problem.target}: ${problem.reason}; description: ${said}`;
    });
    super(
      `${label}: ${problems.length} overlay action(s) cannot be applied (the document moved under the fix: update or drop the action):\n${lines.join("\n")}`,
    );
    this.name = "OverlayError";
    this.problems = problems;
  }
}

type OverlayResult = { data: unknown; resultData: { unusedActions: unknown[] } };

/** Runs one action through openapi-format; `used` is false when its target matched nothing. */
async function runAction(
  document: unknown,
  version: string,
  action: OverlayAction,
): Promise<{ document: unknown; used: boolean }> {
  const { data, resultData } = (await openapiOverlay(structuredClone(document), {
    overlaySet: {
      overlay: version,
      actions: [action as OverlayAction & { [key: `x-${string}`]: unknown }],
    },
  })) as OverlayResult;
  return { document: data, used: resultData.unusedActions.length === 0 };
}

/**
 * `$.a['X','Y'].b` -> [`$.a['X'].b`, `$.a['Y'].b`]: each named member of a union selector is a
 * separate expectation. Without this, an action fixing three schemas would still "match" after
 * upstream renamed one of them, and the fix would silently stop applying to it.
 */
export function unionMembers(target: string): string[] {
  const union = /\[\s*('[^']*'(?:\s*,\s*'[^']*')+)\s*\]/.exec(target);
  if (union === null) return [target];
  const names = union[1]?.split(",").map((name) => name.trim()) ?? [];
  const before = target.slice(0, union.index);
  const after = target.slice(union.index + union[0].length);
  return names.flatMap((name) => unionMembers(`${before}[${name}]${after}`));
}

function oneLine(text: unknown): string | null {
  return typeof text === "string" ? text.replace(/\s+/g, " ").trim() : null;
}

/**
 * Applies an OpenAPI Overlay 1.0 document strictly, action by action in file order: an action
 * that is malformed, or whose target (or any named member of a union target) matches nothing
 * in the document as the earlier actions left it, is an error. All problems are collected and
 * thrown together as one OverlayError; the caller writes nothing.
 */
export async function applyOverlay(
  source: unknown,
  overlaySet: unknown,
  label: string,
): Promise<OpenApiDocument> {
  const overlay = overlaySet as { overlay?: unknown; actions?: unknown };
  if (typeof overlay?.overlay !== "string" || !overlay.overlay.startsWith("1.0")) {
    throw new Error(`${label}: expected "overlay: 1.0.x"`);
  }
  if (!Array.isArray(overlay.actions)) {
    throw new Error(`${label}: expected an "actions" list`);
  }
  const problems: OverlayProblem[] = [];
  let document: unknown = source;
  for (const [position, raw] of overlay.actions.entries()) {
    const action = (raw ?? {}) as Partial<OverlayAction>;
    const index = position + 1;
    const target = typeof action.target === "string" ? action.target : "(no target)";
    const description = oneLine(action.description);
    const fail = (reason: string) => problems.push({ index, target, description, reason });
    if (typeof action.target !== "string" || !action.target.startsWith("$")) {
      fail("the target must be a JSONPath starting with $");
      continue;
    }
    const removes = action.remove === true;
    if (!removes && !("update" in action)) {
      fail('the action has neither "update" nor "remove: true"');
      continue;
    }
    const members = unionMembers(action.target);
    if (members.length > 1) {
      const missing: string[] = [];
      for (const member of members) {
        if (!(await runAction(document, overlay.overlay, { target: member, remove: true })).used) {
          missing.push(member);
        }
      }
      if (missing.length > 0) {
        fail(`matches nothing at ${missing.join(", ")}`);
        continue;
      }
    }
    const applied = await runAction(document, overlay.overlay, action as OverlayAction);
    if (!applied.used) {
      fail(`${removes ? "remove" : "update"} target matches nothing`);
      continue;
    }
    document = applied.document;
  }
  if (problems.length > 0) throw new OverlayError(label, problems);
  return document as OpenApiDocument;
}

export function parseSpecText(text: string, path: string, label: string): unknown {
  try {
    return path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: cannot parse: ${reason}`);
  }
}

/**
 * Loads specs/<provider>/ and applies its OpenAPI Overlay 1.0 file, if any, strictly (see
 * applyOverlay). `sourceText` replaces the checked-in document's bytes: spec:update loads the
 * next upstream version through the same path before anything is written.
 */
export async function loadSpec(
  provider: string,
  root: string = rootDir,
  sourceText?: string,
): Promise<LoadedSpec> {
  const sourcePath = specSourcePath(provider, root);
  const overlayPath = join(root, "specs", provider, "overlay.yaml");
  const label = `specs/${provider}/${basename(sourcePath)}`;
  const source = parseSpecText(sourceText ?? readFileSync(sourcePath, "utf8"), sourcePath, label);
  if (source === null || typeof source !== "object" || Array.isArray(source)) {
    throw new Error(`${label}: not an OpenAPI document (an object)`);
  }
  if (!existsSync(overlayPath)) {
    return { provider, sourcePath, overlayPath: null, document: source as OpenApiDocument };
  }
  const overlaySet = parseDocument(overlayPath, `specs/${provider}/overlay.yaml`);
  const document = await applyOverlay(source, overlaySet, `specs/${provider}/overlay.yaml`);
  return { provider, sourcePath, overlayPath, document };
}
