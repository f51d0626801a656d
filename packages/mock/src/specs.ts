/**
 * Everything the mock takes from the specs. Runtime facts (each operation's method and path,
 * the servers) come from the overlaid documents in ./generated; the types come from each
 * provider package's generated `paths`/`operations`, so a spec change moves the mock's routes
 * and breaks its types where the mock must change.
 */
import type { operations as BriqpayOperations, paths as BriqpayPaths } from "@refundkit/briqpay";
import type { operations as LevelupOperations, paths as LevelupPaths } from "@refundkit/levelup";
import type { operations as MoyasarOperations, paths as MoyasarPaths } from "@refundkit/moyasar";
import type { operations as OpttyOperations, paths as OpttyPaths } from "@refundkit/optty";
import type { operations as SezzleOperations, paths as SezzlePaths } from "@refundkit/sezzle";
import { documents } from "./generated/index.js";

export type { BriqpayPaths, LevelupPaths, MoyasarPaths, OpttyPaths, SezzlePaths };
export { documents };

type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

/** The path template (a key of `Paths`) whose `method` operation is `Operations[Id]`. */
export type PathOf<Paths, Operations, Id extends keyof Operations, Method extends HttpMethod> = {
  [Path in keyof Paths]: Paths[Path] extends { [M in Method]: Operations[Id] } ? Path : never;
}[keyof Paths] &
  string;

interface Route<Path extends string> {
  operationId: string;
  method: HttpMethod;
  path: Path;
  /** Sandbox and production base URLs of the operation's own servers (else the document's). */
  servers: { sandbox: string; production: string };
}

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pickServers(servers: unknown): { sandbox: string; production: string } | undefined {
  if (!Array.isArray(servers)) return undefined;
  const picked: { sandbox?: string; production?: string } = {};
  for (const server of servers) {
    if (
      !isJson(server) ||
      typeof server.url !== "string" ||
      server["x-refundkit-alternative"] === true
    )
      continue;
    const environment = server["x-refundkit-environment"];
    const variables = isJson(server.variables) ? server.variables : {};
    const url = server.url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      const variable = variables[name];
      return isJson(variable) && typeof variable.default === "string" ? variable.default : name;
    });
    if (
      (environment === "sandbox" || environment === "production") &&
      picked[environment] === undefined
    ) {
      picked[environment] = url;
    }
  }
  return picked.sandbox !== undefined && picked.production !== undefined
    ? { sandbox: picked.sandbox, production: picked.production }
    : undefined;
}

/**
 * Finds an operation in an overlaid spec by operationId. The path's type is computed from the
 * generated types by the caller (`PathOf`); both come from the same spec.
 */
function route<Path extends string>(document: unknown, operationId: string): Route<Path> {
  if (!isJson(document) || !isJson(document.paths)) throw new Error("not an OpenAPI document");
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isJson(item)) continue;
    for (const method of ["get", "put", "post", "delete", "patch"] as const) {
      const operation = item[method];
      if (!isJson(operation) || operation.operationId !== operationId) continue;
      const servers =
        pickServers(operation.servers) ??
        pickServers(item.servers) ??
        pickServers(document.servers);
      if (servers === undefined) throw new Error(`${operationId}: no sandbox/production servers`);
      return { operationId, method, path: path as Path, servers };
    }
  }
  throw new Error(`operation ${operationId} is not in the spec`);
}

export const routes = {
  sezzle: {
    refund: route<PathOf<SezzlePaths, SezzleOperations, "HandleRefundAmountByOrder", "post">>(
      documents.sezzle,
      "HandleRefundAmountByOrder",
    ),
    auth: route<PathOf<SezzlePaths, SezzleOperations, "PostAuthentication", "post">>(
      documents.sezzle,
      "PostAuthentication",
    ),
  },
  optty: {
    refund: route<PathOf<OpttyPaths, OpttyOperations, "RefundsController_refundOrder", "post">>(
      documents.optty,
      "RefundsController_refundOrder",
    ),
    token: route<PathOf<OpttyPaths, OpttyOperations, "PostToken", "post">>(
      documents.optty,
      "PostToken",
    ),
  },
  levelup: {
    refund: route<PathOf<LevelupPaths, LevelupOperations, "RefundOrder", "post">>(
      documents.levelup,
      "RefundOrder",
    ),
  },
  moyasar: {
    refund: route<PathOf<MoyasarPaths, MoyasarOperations, "RefundOrder", "post">>(
      documents.moyasar,
      "RefundOrder",
    ),
  },
  briqpay: {
    refund: route<PathOf<BriqpayPaths, BriqpayOperations, "RefundOrder", "post">>(
      documents.briqpay,
      "RefundOrder",
    ),
  },
} as const;
