/**
 * Everything the mock takes from the specs: the overlaid documents (runtime validation) and, per
 * provider, the generated `paths` types and operation table (method + path per operationId), so
 * a spec change moves the mock's routes and breaks its types where the mock must change.
 */
export type { paths as BriqpayPaths } from "../../briqpay/src/generated/openapi.js";
export {
  operations as briqpayOperations,
  servers as briqpayServers,
} from "../../briqpay/src/generated/spec.js";
export type { paths as LevelupPaths } from "../../levelup/src/generated/openapi.js";
export {
  operations as levelupOperations,
  servers as levelupServers,
} from "../../levelup/src/generated/spec.js";
export type { paths as MoyasarPaths } from "../../moyasar/src/generated/openapi.js";
export {
  operations as moyasarOperations,
  servers as moyasarServers,
} from "../../moyasar/src/generated/spec.js";
export type { paths as OpttyPaths } from "../../optty/src/generated/openapi.js";
export {
  operations as opttyOperations,
  servers as opttyServers,
} from "../../optty/src/generated/spec.js";
export type { paths as SezzlePaths } from "../../sezzle/src/generated/openapi.js";
export {
  operations as sezzleOperations,
  servers as sezzleServers,
} from "../../sezzle/src/generated/spec.js";
export { documents } from "./generated/index.js";
