/**
 * Everything the mock takes from the specs. Each operation's method, path and servers come from
 * the provider package's generated `operationInfo`/`servers` (the repository's generator derives
 * them from the spec); the path is a literal type checked against the generated `paths` wherever a handler
 * is registered, so a spec change moves the mock's routes and breaks its types where the mock
 * must change. The overlaid documents (./generated) drive the runtime validators.
 */
import {
  type paths as BriqpayPaths,
  operationInfo as briqpayOperations,
  servers as briqpayServers,
} from "@refundkit/briqpay";
import {
  type paths as LevelupPaths,
  operationInfo as levelupOperations,
  servers as levelupServers,
} from "@refundkit/levelup";
import {
  type paths as MoyasarPaths,
  operationInfo as moyasarOperations,
  servers as moyasarServers,
} from "@refundkit/moyasar";
import {
  type paths as OpttyPaths,
  operationInfo as opttyOperations,
  servers as opttyServers,
} from "@refundkit/optty";
import {
  type paths as SezzlePaths,
  operationInfo as sezzleOperations,
  servers as sezzleServers,
} from "@refundkit/sezzle";
import { documents } from "./generated/index.js";

export type { BriqpayPaths, LevelupPaths, MoyasarPaths, OpttyPaths, SezzlePaths };
export { documents };

type Servers = { readonly sandbox: string; readonly production: string };

interface Route<Path extends string> {
  operationId: string;
  method: string;
  path: Path;
  /** Sandbox and production base URLs of the operation's own servers (else the document's). */
  servers: Servers;
}

function route<Path extends string>(
  operationId: string,
  operation: { readonly method: string; readonly path: Path; readonly servers?: Servers },
  documentServers: Servers,
): Route<Path> {
  const { method, path, servers = documentServers } = operation;
  return { operationId, method, path, servers };
}

export const routes = {
  sezzle: {
    refund: route(
      "HandleRefundAmountByOrder",
      sezzleOperations.HandleRefundAmountByOrder,
      sezzleServers,
    ),
    auth: route("PostAuthentication", sezzleOperations.PostAuthentication, sezzleServers),
    lookup: route("GetV2Order", sezzleOperations.GetV2Order, sezzleServers),
  },
  optty: {
    refund: route(
      "RefundsController_refundOrder",
      opttyOperations.RefundsController_refundOrder,
      opttyServers,
    ),
    token: route("PostToken", opttyOperations.PostToken, opttyServers),
    lookup: route("TransactionDetails", opttyOperations.TransactionDetails, opttyServers),
  },
  levelup: {
    refund: route("RefundOrder", levelupOperations.RefundOrder, levelupServers),
    lookup: route("GetMerchantOrder", levelupOperations.GetMerchantOrder, levelupServers),
  },
  moyasar: { refund: route("RefundOrder", moyasarOperations.RefundOrder, moyasarServers) },
  briqpay: {
    refund: route("RefundOrder", briqpayOperations.RefundOrder, briqpayServers),
    lookup: route("ReadSession", briqpayOperations.ReadSession, briqpayServers),
  },
} as const;

/**
 * The JSON request body of an operation (`Paths[path]["post"]`) as the generated `paths` type it.
 * The handlers cast a body to it only after the spec's validator has accepted the body.
 */
export type JsonRequestBody<Operation> = Operation extends { requestBody?: infer Body }
  ? NonNullable<Body> extends { content: { "application/json": infer Json } }
    ? Json
    : never
  : never;
