import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type Config,
  lintFromString,
  loadConfig,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { loadSpec, type OpenApiDocument, rootDir } from "./specs.js";

export interface LintProblem {
  provider: string;
  rule: string;
  severity: "error" | "warn";
  message: string;
  /** JSON pointer into the overlaid document, e.g. `#/paths/~1v2~1order/post`. */
  pointer: string;
  /** `specs/<p>: <rule> <message> at <pointer>` */
  text: string;
}

const configs = new Map<string, Promise<Config>>();

/** The checked-in `<root>/redocly.yaml`, loaded once per root (loading it costs ~100 ms). */
export function lintConfig(root: string = rootDir): Promise<Config> {
  const configPath = join(root, "redocly.yaml");
  let config = configs.get(configPath);
  if (config === undefined) {
    if (!existsSync(configPath)) throw new Error(`${configPath} not found: the spec lint config`);
    config = loadConfig({ configPath });
    configs.set(configPath, config);
  }
  return config;
}

function toProblem(provider: string, problem: NormalizedProblem): LintProblem {
  const pointer = problem.location[0]?.pointer ?? "#/";
  const severity = problem.severity === "error" ? "error" : "warn";
  const message = problem.message.replace(/\s+/g, " ").trim();
  return {
    provider,
    rule: problem.ruleId,
    severity,
    message,
    pointer,
    text: `specs/${provider}: ${problem.ruleId} ${message} at ${pointer}`,
  };
}

/**
 * Lints specs/<provider>/ *after* its overlay is applied, with `<root>/redocly.yaml`.
 * Returns every error and warning that is not ignored; an empty array means clean.
 * Throws when the spec cannot be loaded at all (missing file, overlay action that matches nothing).
 */
export async function lintSpec(
  provider: string,
  options: { root?: string; document?: OpenApiDocument } = {},
): Promise<LintProblem[]> {
  const root = options.root ?? rootDir;
  const document = options.document ?? (await loadSpec(provider, root)).document;
  const config = await lintConfig(root);
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: join(root, "specs", provider, "openapi.overlaid.json"),
    config,
  });
  return problems
    .filter((problem) => !problem.ignored)
    .map((problem) => toProblem(provider, problem));
}
