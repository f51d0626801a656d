export { type BulkRow, type CsvItem, type RowProblem, readBulkCsv } from "./bulk/csv.js";
export { type InFlightVerdict, type ReconcileAnswer, reconcileInFlight } from "./bulk/reconcile.js";
export { type BulkIo, type BulkOptions, bulkPaths, runBulk } from "./bulk/run.js";
export { parseTypedAmount } from "./internal/amount.js";
export { configFromEnv, type Target } from "./internal/env.js";
export { EXIT, errorLine } from "./internal/output.js";
export { createProgram, main } from "./program.js";
export { formatStatus, runStatus, type StatusOptions } from "./status.js";
