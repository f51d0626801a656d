import { type ApiVersion, apiVersionOf } from "../../packages/core/src/config.js";
import type { OpenApiDocument } from "./specs.js";

/** What the runtime (clients, adapters) needs from a spec: spec.ts is this, as `as const`. */
export interface RuntimeSpec {
  servers: EnvironmentServers;
  alternativeServers: { sandbox: string[]; production: string[] };
  /** Only for specs whose servers carry `x-refundkit-region` (Sezzle: us, eu). */
  serversByRegion: Record<string, EnvironmentServers> | null;
  operations: Record<string, RuntimeOperation>;
  securitySchemes: Record<string, unknown>;
  security: unknown[];
  /**
   * The API version segment of the spec's URLs (core's `apiVersionOf` over the servers and every
   * operation path), or null when it has none (Optty). Worked out here, once, so that a client
   * passes it to `resolveBaseUrl` as data instead of bundling the rule that finds it.
   */
  apiVersion: ApiVersion | null;
}

export interface EnvironmentServers {
  sandbox: string;
  production: string;
}

export interface RuntimeOperation {
  method: HttpMethod;
  path: string;
  /** Set when the path item or the operation has its own `servers` (Optty's token endpoint). */
  servers?: EnvironmentServers;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
const ENVIRONMENTS = ["sandbox", "production"] as const;
type Environment = (typeof ENVIRONMENTS)[number];

interface TaggedServer {
  url: string;
  environment: Environment;
  region: string | null;
  alternative: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Substitutes server variables with their defaults: `https://{host}/v3` -> `https://api.x/v3`. */
function serverUrl(server: Record<string, unknown>, where: string): string {
  const url = server.url;
  if (typeof url !== "string") throw new Error(`${where}: server without a string url`);
  const variables = isRecord(server.variables) ? server.variables : {};
  return url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const variable = variables[name];
    const fallback = isRecord(variable) ? variable.default : undefined;
    if (typeof fallback !== "string") {
      throw new Error(`${where}: server ${url}: variable {${name}} has no default`);
    }
    return fallback;
  });
}

function tagServers(servers: unknown, where: string): TaggedServer[] {
  if (servers === undefined) return [];
  if (!Array.isArray(servers)) throw new Error(`${where}: servers is not an array`);
  const tagged: TaggedServer[] = [];
  for (const server of servers) {
    if (!isRecord(server)) throw new Error(`${where}: a server is not an object`);
    const url = serverUrl(server, where);
    const environment = server["x-refundkit-environment"];
    // Servers without the extension (say, a vendor's demo host) are not for the runtime.
    if (environment === undefined) continue;
    if (environment !== "sandbox" && environment !== "production") {
      throw new Error(
        `${where}: server ${url}: x-refundkit-environment must be "sandbox" or "production", got ${JSON.stringify(environment)}`,
      );
    }
    const region = server["x-refundkit-region"];
    if (region !== undefined && typeof region !== "string") {
      throw new Error(`${where}: server ${url}: x-refundkit-region must be a string`);
    }
    const alternative = server["x-refundkit-alternative"];
    if (alternative !== undefined && typeof alternative !== "boolean") {
      throw new Error(`${where}: server ${url}: x-refundkit-alternative must be a boolean`);
    }
    tagged.push({ url, environment, region: region ?? null, alternative: alternative === true });
  }
  return tagged;
}

/** First non-alternative server per environment; fails naming the one that is missing. */
function pickEnvironments(servers: TaggedServer[], where: string): EnvironmentServers {
  const picked: Partial<EnvironmentServers> = {};
  for (const server of servers) {
    if (!server.alternative && picked[server.environment] === undefined) {
      picked[server.environment] = server.url;
    }
  }
  const missing = ENVIRONMENTS.filter((environment) => picked[environment] === undefined);
  if (picked.sandbox === undefined || picked.production === undefined) {
    throw new Error(
      `${where}: no ${missing.join(" or ")} server: add a server with ` +
        `x-refundkit-environment: ${missing[0]} (and no x-refundkit-alternative) to the spec or its overlay`,
    );
  }
  return { sandbox: picked.sandbox, production: picked.production };
}

export function extractRuntime(provider: string, document: OpenApiDocument): RuntimeSpec {
  const where = `specs/${provider}`;
  const documentServers = tagServers(document.servers, `${where}: #/servers`);
  const servers = pickEnvironments(documentServers, `${where}: #/servers`);

  const alternativeServers = { sandbox: [] as string[], production: [] as string[] };
  for (const server of documentServers) {
    if (server.alternative) alternativeServers[server.environment].push(server.url);
  }

  let serversByRegion: Record<string, EnvironmentServers> | null = null;
  const regions = [...new Set(documentServers.flatMap((server) => server.region ?? []))];
  if (regions.length > 0) {
    serversByRegion = {};
    for (const region of regions) {
      serversByRegion[region] = pickEnvironments(
        documentServers.filter((server) => server.region === region),
        `${where}: #/servers (x-refundkit-region: ${region})`,
      );
    }
  }

  const operations: Record<string, RuntimeOperation> = {};
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    const pathPointer = `#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (!isRecord(pathItem)) throw new Error(`${where}: ${pathPointer} is not an object`);
    if ("$ref" in pathItem)
      throw new Error(`${where}: ${pathPointer}: $ref path items are not supported`);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      if (!isRecord(operation))
        throw new Error(`${where}: ${pathPointer}/${method} is not an object`);
      const operationId = operation.operationId;
      if (typeof operationId !== "string" || operationId === "") {
        throw new Error(`${where}: ${pathPointer}/${method} has no operationId`);
      }
      if (operationId in operations) {
        throw new Error(`${where}: operationId ${operationId} is used twice`);
      }
      const ownServers = operation.servers ?? pathItem.servers;
      const entry: RuntimeOperation = { method, path };
      if (ownServers !== undefined) {
        const serversPointer = `${pathPointer}${operation.servers === undefined ? "" : `/${method}`}/servers`;
        entry.servers = pickEnvironments(
          tagServers(ownServers, `${where}: ${serversPointer}`),
          `${where}: ${serversPointer} (operation ${operationId})`,
        );
      }
      operations[operationId] = entry;
    }
  }

  const securitySchemes = document.components?.securitySchemes ?? {};
  const security = Array.isArray(document.security) ? document.security : [];
  return {
    servers,
    alternativeServers,
    serversByRegion,
    operations,
    securitySchemes,
    security,
    apiVersion: versionOf(where, servers, serversByRegion, operations),
  };
}

/** The one API version of the servers (every region's, if any) and the operation paths. */
function versionOf(
  where: string,
  servers: EnvironmentServers,
  serversByRegion: Record<string, EnvironmentServers> | null,
  operations: Record<string, RuntimeOperation>,
): ApiVersion | null {
  const paths = Object.values(operations).map((operation) => operation.path);
  const found = [servers, ...Object.values(serversByRegion ?? {})].map(({ sandbox, production }) =>
    JSON.stringify(apiVersionOf({ sandbox, production }, paths) ?? null),
  );
  if (new Set(found).size !== 1) {
    throw new Error(`${where}: #/servers: the regions' servers disagree on the API version`);
  }
  return JSON.parse(found[0] ?? "null") as ApiVersion | null;
}
