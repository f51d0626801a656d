/**
 * Classifies the change between two versions of a provider's spec, for a reviewer and for the
 * release: api-smart-diff (https://github.com/udamir/api-smart-diff) computes and classifies the
 * raw differences; this module groups them per operation and schema, words them, applies the few
 * rules where a typed client sees a change differently from the library (each commented), and
 * finds upstream changes that the overlay hides.
 */
import { apiCompare, type Diff } from "api-smart-diff";
import type { OpenApiDocument, OverlayAction } from "./specs.js";

export type Severity = "breaking" | "non-breaking" | "unclassified";
export type Bump = "major" | "minor" | "patch";

/** Where a change is: an operation, a component schema, or elsewhere in the document. */
export type ChangeLocation =
  | { kind: "operation"; method: string; path: string; operationId: string | null }
  | { kind: "schema"; name: string }
  | { kind: "document"; section: string };

export interface SpecChange {
  severity: Severity;
  /** The release bump this change alone implies. */
  bump: Bump;
  location: ChangeLocation;
  /** Reviewer words: what changed, e.g. "response 200 (application/json): field `uuid` removed". */
  what: string;
  /** JSON pointer into the overlaid document. */
  pointer: string;
  /** Set where refundkit overrides the library's classification: why. */
  reason: string | null;
}

/** An upstream change that the overlaid documents do not show: an overlay action covers it. */
export interface HiddenChange extends SpecChange {
  /** The overlay actions whose target covers the changed node (1-based, as in overlay.yaml). */
  actions: Array<{ index: number; target: string; description: string | null }>;
}

export interface SpecDiffReport {
  provider: string;
  changes: SpecChange[];
  hidden: HiddenChange[];
  /** The largest bump over `changes`; null when nothing changed. */
  bump: Bump | null;
  /**
   * Refuse without --accept-breaking: a breaking change, or a breaking or unclassified upstream
   * change that the overlay hides (the generated code cannot show it; a reviewer must decide
   * whether the overlay action still holds).
   */
  breaking: boolean;
  /** What the diff library said while comparing (nodes it could not classify). */
  notes: string[];
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const DOC_KEYWORDS = new Set(["description", "summary", "title", "externalDocs"]);
const EXAMPLE_KEYWORDS = new Set(["example", "examples"]);
const BUMP_ORDER: Bump[] = ["patch", "minor", "major"];

type Path = Array<string | number>;

export function maxBump(bumps: Iterable<Bump>): Bump | null {
  let best: Bump | null = null;
  for (const bump of bumps) {
    if (best === null || BUMP_ORDER.indexOf(bump) > BUMP_ORDER.indexOf(best)) best = bump;
  }
  return best;
}

function pointerOf(path: Path): string {
  return `#/${path.map((part) => String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path`, following local `$ref`s on the way (not at the end). */
function valueAt(document: unknown, path: Path): unknown {
  let current: unknown = document;
  for (const part of path) {
    for (let hops = 0; isObject(current) && typeof current.$ref === "string" && hops < 10; hops++) {
      current = valueAt(
        document,
        current.$ref
          .replace(/^#\//, "")
          .split("/")
          .map((key) => key.replace(/~1/g, "/").replace(/~0/g, "~")),
      );
    }
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[String(part)];
    else return undefined;
  }
  return current;
}

function short(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function locate(path: Path, before: unknown, after: unknown): ChangeLocation {
  const [section, first, second] = path;
  if (section === "paths" && typeof first === "string") {
    const method = typeof second === "string" && HTTP_METHODS.has(second) ? second : null;
    if (method === null) return { kind: "operation", method: "*", path: first, operationId: null };
    const operation = valueAt(after, ["paths", first, method]) ?? valueAt(before, path.slice(0, 3));
    const operationId =
      isObject(operation) && typeof operation.operationId === "string"
        ? operation.operationId
        : null;
    return { kind: "operation", method, path: first, operationId };
  }
  if (section === "components" && first === "schemas" && typeof second === "string") {
    return { kind: "schema", name: second };
  }
  return { kind: "document", section: path.slice(0, 2).join(".") };
}

export function locationLabel(location: ChangeLocation): string {
  switch (location.kind) {
    case "operation": {
      const id = location.operationId === null ? "" : ` (${location.operationId})`;
      return location.method === "*"
        ? `path ${location.path}`
        : `${location.method.toUpperCase()} ${location.path}${id}`;
    }
    case "schema":
      return `schema ${location.name}`;
    case "document":
      return `document ${location.section}`;
  }
}

/** The part of the path inside the located operation or schema, in reviewer words. */
function describeWhere(path: Path, location: ChangeLocation, doc: unknown): string {
  // After `paths./x.post` (or `paths./x` for a path-level change), or `components.schemas.X`.
  const walk =
    location.kind === "operation"
      ? path.slice(location.method === "*" ? 2 : 3)
      : location.kind === "schema"
        ? path.slice(3)
        : [];
  const parts: string[] = [];
  let field: string[] = [];
  const flush = () => {
    if (field.length > 0) parts.push(`field \`${field.join(".").replace(/\.\[\]/g, "[]")}\``);
    field = [];
  };
  let inSchema = location.kind === "schema";
  for (let i = 0; i < walk.length; i++) {
    const key = walk[i];
    const next = walk[i + 1];
    if (!inSchema) {
      const pair = next !== undefined && i + 1 < walk.length - 1;
      if (i === walk.length - 1) break; // the changed key itself: worded by describeWhat
      if (key === "requestBody") parts.push("request body");
      else if (key === "responses" && pair) {
        parts.push(`response ${next}`);
        i++;
      } else if (key === "content" && pair) {
        parts.push(`(${next})`);
        i++;
      } else if (key === "schema") inSchema = true;
      else if (key === "parameters" && typeof next === "number" && pair) {
        const parameter = valueAt(doc, [...path.slice(0, path.length - walk.length + i + 2)]);
        const name = isObject(parameter)
          ? `\`${String(parameter.name)}\` (${String(parameter.in)})`
          : `#${next}`;
        parts.push(`parameter ${name}`);
        i++;
      } else if (key === "headers" && pair) {
        parts.push(`header \`${next}\``);
        i++;
      } else {
        parts.push(String(key));
      }
      continue;
    }
    if (key === "properties" && next !== undefined && i + 1 < walk.length - 1) {
      field.push(String(next));
      i++;
    } else if (key === "items") field.push("[]");
    else if (key === "additionalProperties") field.push("{*}");
    else break; // the rest is the changed keyword, worded by describeWhat
  }
  flush();
  return parts.join(" ");
}

function describeWhat(diff: Diff): string {
  const path = diff.path;
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const action = diff.action;
  if (parent === "required" && typeof last === "number") {
    const name = String(action === "remove" ? diff.before : diff.after);
    if (action === "add") return `\`${name}\` is now required`;
    if (action === "remove") return `\`${name}\` is no longer required`;
    return `required \`${short(diff.before)}\` replaced by \`${short(diff.after)}\``;
  }
  if (parent === "properties" && typeof last === "string") {
    if (action === "add") return `field \`${last}\` added`;
    if (action === "remove") return `field \`${last}\` removed`;
  }
  if (parent === "enum") {
    if (action === "add") return `enum value ${short(diff.after)} added`;
    if (action === "remove") return `enum value ${short(diff.before)} removed`;
  }
  if (parent === "paths" || HTTP_METHODS.has(String(last))) {
    if (action === "add") return "operation added";
    if (action === "remove") return "operation removed";
  }
  if (parent === "responses") {
    if (action === "add") return `response ${String(last)} added`;
    if (action === "remove") return `response ${String(last)} removed`;
  }
  if (parent === "parameters" && typeof last === "number") {
    const value = (action === "remove" ? diff.before : diff.after) as Record<string, unknown>;
    const required = value?.required === true ? "required " : "optional ";
    const name = `${required}parameter \`${String(value?.name)}\` (${String(value?.in)})`;
    if (action === "add") return `${name} added`;
    if (action === "remove") return `${name} removed`;
  }
  if (parent === "schemas" && typeof last === "string") {
    if (action === "add") return "schema added";
    if (action === "remove") return "schema removed";
  }
  if (last === "required" && typeof (diff.after ?? diff.before) === "boolean") {
    // A parameter's or request body's own `required: true|false`.
    const required = action === "remove" ? false : diff.after === true;
    return required ? "is now required" : "is no longer required";
  }
  const keyword = typeof last === "number" ? `${String(parent)}[${last}]` : String(last);
  if (DOC_KEYWORDS.has(String(last)) && parent !== "properties")
    return `${keyword} ${action === "add" ? "added" : action === "remove" ? "removed" : "changed"}`;
  if (isExamplePath(path)) {
    return "example changed";
  }
  if (action === "add") return `\`${keyword}\` added: ${short(diff.after)}`;
  if (action === "remove") return `\`${keyword}\` removed (was ${short(diff.before)})`;
  return `\`${keyword}\` changed from ${short(diff.before)} to ${short(diff.after)}`;
}

/** An `example`/`examples` keyword on the path (not a field of that name under `properties`). */
function isExamplePath(path: Array<string | number>): boolean {
  return path.some((part, i) => EXAMPLE_KEYWORDS.has(String(part)) && path[i - 1] !== "properties");
}

function typesOf(value: unknown): Set<string> {
  return new Set(
    Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)],
  );
}

/**
 * refundkit's rules where a generated, typed client sees a change differently from the library.
 * Returns null to keep the library's classification.
 */
function override(diff: Diff): { severity: Severity; bump: Bump; reason: string } | null {
  const path = diff.path.map(String);
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const inResponse = path.includes("responses");
  const inSchemaComponent = path[0] === "components" && path[1] === "schemas";
  if (isExamplePath(path)) {
    // Examples are documentation: they change no generated type and no request or response.
    return { severity: "non-breaking", bump: "patch", reason: "examples only" };
  }
  if (diff.action === "remove" && parent === "properties" && (inResponse || inSchemaComponent)) {
    // The library calls removing an optional response field non-breaking (a plain HTTP client
    // ignores it); for a generated client the field leaves the type, so code that reads it no
    // longer compiles, and the value stops arriving.
    return {
      severity: "breaking",
      bump: "major",
      reason: "the field leaves the generated type: code that reads it no longer compiles",
    };
  }
  if (diff.action === "replace" && last === "type" && (inResponse || inSchemaComponent)) {
    // A response field whose type is not a subset of the old one breaks code typed against it.
    const before = typesOf(diff.before);
    const narrowed = [...typesOf(diff.after)].every((type) => before.has(type));
    if (!narrowed && inResponse) {
      return {
        severity: "breaking",
        bump: "major",
        reason: "the generated response type changes: code typed against the old one breaks",
      };
    }
  }
  if (path[0] === "servers" || (path.includes("servers") && path[0] === "paths")) {
    // The library calls server changes annotations; for refundkit they are the generated base
    // URLs per environment, i.e. where refunds are sent. Not provably safe: a reviewer decides.
    if (last !== "description") {
      return {
        severity: "unclassified",
        bump: "minor",
        reason: "changes the generated base URLs: review where requests now go",
      };
    }
  }
  return null;
}

function fromDiff(diff: Diff, before: unknown, after: unknown): SpecChange {
  const location = locate(diff.path, before, after);
  const doc = diff.action === "remove" ? before : after;
  const where = describeWhere(diff.path, location, doc);
  const what = describeWhat(diff);
  const custom = override(diff);
  let severity: Severity;
  let bump: Bump;
  switch (diff.type) {
    case "breaking":
      severity = "breaking";
      bump = "major";
      break;
    case "non-breaking":
    case "deprecated":
      severity = "non-breaking";
      bump = "minor";
      break;
    case "annotation":
      severity = "non-breaking";
      bump = "patch";
      break;
    default:
      // Not provably compatible, so never a patch; the report asks a reviewer to look.
      severity = "unclassified";
      bump = "minor";
  }
  return {
    severity: custom?.severity ?? severity,
    bump: custom?.bump ?? bump,
    location,
    what: where === "" ? what : `${where}: ${what}`,
    pointer: pointerOf(diff.path),
    reason: custom?.reason ?? (diff.type === "deprecated" ? "deprecation" : null),
  };
}

/**
 * apiCompare with the library's console messages caught: it logs, and goes on, when one of its
 * rules throws on a node (seen on `allOf` members' `required` lists). Those nodes' changes come
 * out "unclassified", so the messages are returned for the report instead of interleaving.
 */
function compareQuietly(before: unknown, after: unknown): { diffs: Diff[]; notes: string[] } {
  const notes: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log };
  const catchLine = (...args: unknown[]) => {
    notes.push(args.map(String).join(" "));
  };
  console.error = catchLine;
  console.warn = catchLine;
  console.log = catchLine;
  try {
    const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
    return { diffs, notes: [...new Set(notes)] };
  } finally {
    Object.assign(console, saved);
  }
}

/** Classified changes between two documents (both already overlaid, or both upstream). */
export function compareDocuments(
  before: unknown,
  after: unknown,
  notes: string[] = [],
): SpecChange[] {
  const compared = compareQuietly(before, after);
  notes.push(...compared.notes);
  const { diffs } = compared;
  const seen = new Set<string>();
  const changes: SpecChange[] = [];
  for (const diff of diffs) {
    const change = fromDiff(diff, before, after);
    // One array edit can show as several index diffs with the same words: keep one.
    const key = `${change.severity}|${locationLabel(change.location)}|${change.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push(change);
  }
  return changes;
}

type Segment = { names: string[] | null }; // null: any key (wildcard or filter)

/** JSONPath selectors this follows, each to the keys it selects (null: any key). */
const SELECTORS: Array<[RegExp, (match: RegExpExecArray) => string[] | null]> = [
  [/^\.\*/, () => null],
  [/^\[\*\]/, () => null],
  [/^\[\?[^\]]*\]/, () => null], // a filter: any element may match
  [/^\.([A-Za-z0-9_$-]+)/, (match) => [match[1] ?? ""]],
  [/^\[(\d+)\]/, (match) => [match[1] ?? ""]],
  [
    /^\[\s*((?:'[^']*'|"[^"]*")(?:\s*,\s*(?:'[^']*'|"[^"]*"))*)\s*\]/,
    (match) =>
      [...(match[1] ?? "").matchAll(/'([^']*)'|"([^"]*)"/g)].map(
        (name) => name[1] ?? name[2] ?? "",
      ),
  ],
];

/** `$.a['b'].*[?(...)]` -> segments; null for what this cannot follow (recursive descent). */
export function targetSegments(target: string): Segment[] | null {
  if (!target.startsWith("$")) return null;
  const segments: Segment[] = [];
  let rest = target.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith("..")) return null;
    let matched = false;
    for (const [pattern, names] of SELECTORS) {
      const match = pattern.exec(rest);
      if (match === null) continue;
      segments.push({ names: names(match) });
      rest = rest.slice(match[0].length);
      matched = true;
      break;
    }
    if (!matched) return null;
  }
  return segments;
}

/** The paths an action writes: the target for a remove, the target plus each updated leaf. */
function coveredPaths(action: OverlayAction): Segment[][] {
  const target = targetSegments(action.target);
  if (target === null) return [];
  const covered: Segment[][] = [];
  if (action.remove === true) covered.push(target);
  const leaves = (value: unknown, prefix: Segment[]) => {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value))
        leaves(child, [...prefix, { names: [key] }]);
    } else {
      covered.push(prefix);
    }
  };
  if ("update" in action) leaves(action.update, target);
  return covered;
}

function coversPath(covered: Segment[], path: Path): boolean {
  if (covered.length > path.length) return false;
  return covered.every(
    (segment, i) => segment.names === null || segment.names.includes(String(path[i])),
  );
}

/**
 * Upstream changes that do not show in the overlaid documents, with the overlay actions that
 * cover them: the fix replaced what upstream changed, so the overlay may need updating (e.g. the
 * Sezzle overlay's flat `Price` hides a field upstream adds to `PriceBase`).
 */
export function hiddenChanges(
  upstream: SpecChange[],
  overlaid: SpecChange[],
  actions: OverlayAction[],
): HiddenChange[] {
  // Seen by pointer, or by place and words: an overlay that removes an array item (a `required`
  // entry) shifts the indices of the items after it.
  const words = (change: SpecChange) => `${locationLabel(change.location)}|${change.what}`;
  const visible = new Set([...overlaid.map((change) => change.pointer), ...overlaid.map(words)]);
  const hidden: HiddenChange[] = [];
  for (const change of upstream) {
    if (visible.has(change.pointer) || visible.has(words(change))) continue;
    const path = change.pointer
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
    const covering = actions.flatMap((action, index) =>
      coveredPaths(action).some((covered) => coversPath(covered, path))
        ? [
            {
              index: index + 1,
              target: action.target,
              description:
                typeof action.description === "string"
                  ? action.description.replace(/\s+/g, " ").trim()
                  : null,
            },
          ]
        : [],
    );
    // A change no action covers but that still does not show is one the overlay reshaped
    // around (e.g. inside a schema an operation reaches through a flattened $ref): report it
    // only where an action is named, so the reviewer knows which fix to revisit.
    if (covering.length > 0) hidden.push({ ...change, actions: covering });
  }
  return hidden;
}

export function diffSpecs(input: {
  provider: string;
  oldUpstream: unknown;
  newUpstream: unknown;
  oldOverlaid: OpenApiDocument;
  newOverlaid: OpenApiDocument;
  actions: OverlayAction[];
}): SpecDiffReport {
  const notes: string[] = [];
  const changes = compareDocuments(input.oldOverlaid, input.newOverlaid, notes);
  const hidden =
    input.actions.length === 0
      ? []
      : hiddenChanges(
          compareDocuments(input.oldUpstream, input.newUpstream, notes),
          changes,
          input.actions,
        );
  return {
    provider: input.provider,
    changes,
    hidden,
    bump: maxBump(changes.map((change) => change.bump)),
    breaking:
      changes.some((change) => change.severity === "breaking") ||
      hidden.some((change) => change.severity !== "non-breaking"),
    notes: [...new Set(notes)],
  };
}

const SEVERITY_ORDER: Severity[] = ["breaking", "unclassified", "non-breaking"];

function changeLine(change: SpecChange): string {
  const reason = change.reason === null ? "" : ` (${change.reason})`;
  return `- ${change.severity} (${change.bump}): ${change.what}${reason}`;
}

/** The classified changes as Markdown, grouped per operation and schema; for a changeset too. */
export function formatChanges(changes: SpecChange[]): string {
  const groups = new Map<string, SpecChange[]>();
  const sorted = [...changes].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  const order = (location: ChangeLocation) =>
    location.kind === "operation" ? 0 : location.kind === "schema" ? 1 : 2;
  sorted.sort((a, b) => order(a.location) - order(b.location));
  for (const change of sorted) {
    const label = locationLabel(change.location);
    groups.set(label, [...(groups.get(label) ?? []), change]);
  }
  const lines: string[] = [];
  for (const [label, group] of groups) {
    lines.push(`${label}:`);
    for (const change of group) lines.push(`  ${changeLine(change)}`);
  }
  return lines.join("\n");
}

export function formatReport(report: SpecDiffReport): string {
  const count = (severity: Severity) =>
    report.changes.filter((change) => change.severity === severity).length;
  const lines = [
    `specs/${report.provider}: ${report.changes.length} change(s): ${count("breaking")} breaking, ${count("non-breaking")} non-breaking, ${count("unclassified")} unclassified; bump: ${report.bump ?? "none"}`,
  ];
  if (report.changes.length > 0) lines.push(formatChanges(report.changes));
  if (report.hidden.length > 0) {
    lines.push(
      `${report.hidden.length} upstream change(s) do not show after the overlay: the overlay action(s) named replace what upstream changed; review them:`,
    );
    for (const change of report.hidden) {
      lines.push(
        `  ${changeLine({ ...change, what: `${locationLabel(change.location)}: ${change.what}` })}`,
      );
      for (const action of change.actions) {
        lines.push(
          `      overlay action #${action.index} ${action.target}: "${action.description ?? "(no description)"}"`,
        );
      }
    }
  }
  if (report.notes.length > 0) {
    lines.push(`api-smart-diff could not classify some nodes (their changes are "unclassified"):`);
    for (const note of report.notes) lines.push(`  ${note}`);
  }
  return lines.join("\n");
}
