import { createReadStream } from "node:fs";
import {
  assertIdempotencyKey,
  assertOptionalString,
  assertPathId,
  isCurrencyCode,
  isRefundError,
} from "@refundkit/core/internal";
import { parse } from "csv-parse";
import { createRefunds, PROVIDERS, type ProviderName, type RefundRequest } from "refundkit";
import { parseTypedAmount } from "../internal/amount.js";
import { UsageError } from "../internal/output.js";

/** Columns every bulk CSV has, in any order. */
export const REQUIRED_COLUMNS = ["provider", "order_id", "amount", "currency", "reason"] as const;
/** Columns a bulk CSV may add. */
export const OPTIONAL_COLUMNS = [
  "idempotency_key",
  "manager_confirmation",
  "transaction_id",
  "capture_id",
] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** One valid input row, ready to send. `row` is the 1-based data row (the header is row 0). */
export interface BulkRow {
  row: number;
  /** The file line the row starts on (1-based, the header is line 1). */
  line: number;
  provider: ProviderName;
  orderId: string;
  /** The amount as typed in the CSV ("" for a full refund). */
  amountTyped: string;
  /** Integer minor units; absent for a full refund. */
  amount?: number;
  currency?: string;
  reason?: string;
  idempotencyKey?: string;
  managerConfirmation?: string;
  transactionId?: string;
  captureId?: string;
  /** The row's fields, in the input's column order, for the results CSV. */
  fields: string[];
}

/** Why a row (or the file) cannot be sent. `row` 0 is the header; `field` null: the whole row. */
export interface RowProblem {
  row: number;
  line: number;
  field: string | null;
  message: string;
}

export interface CsvHeader {
  columns: string[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Longest `reason` each provider takes (its adapter's limit). */
const REASON_LIMIT: Record<ProviderName, number> = {
  sezzle: 255,
  optty: 255,
  levelup: 1000,
  moyasar: 1000,
  briqpay: 256,
};

/** The provider-specific columns and the one provider that takes each. */
const ONLY_FOR: Partial<Record<Column, ProviderName>> = {
  manager_confirmation: "levelup",
  transaction_id: "moyasar",
  capture_id: "briqpay",
};

/** What each provider supports (the facade's capabilities, read once per provider). */
export const capabilities = (() => {
  const facade = createRefunds({});
  const known = new Map<ProviderName, ReturnType<typeof facade.capabilities>>();
  return (provider: ProviderName) => {
    let can = known.get(provider);
    if (can === undefined) {
      can = facade.capabilities(provider);
      known.set(provider, can);
    }
    return can;
  };
})();

/** The provider-specific columns, as pairs (read once per row). */
const ONLY_FOR_ENTRIES = Object.entries(ONLY_FOR) as [Column, ProviderName][];

/** Each known column's index in a header (-1: absent), computed once per header. */
const columnIndexes = new WeakMap<readonly string[], Record<Column, number>>();
function indexesOf(columns: readonly string[]): Record<Column, number> {
  let indexes = columnIndexes.get(columns);
  if (indexes === undefined) {
    indexes = {} as Record<Column, number>;
    for (const column of [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) {
      indexes[column] = columns.indexOf(column);
    }
    columnIndexes.set(columns, indexes);
  }
  return indexes;
}

/** Checks the header; returns the problems (empty: fine). */
export function checkHeader(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    problems.push(
      `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: the header must have ${REQUIRED_COLUMNS.join(",")}`,
    );
  }
  for (const column of columns) {
    if (!known.has(column)) {
      problems.push(
        `unknown column "${column}" (allowed besides the required ones: ${OPTIONAL_COLUMNS.join(", ")})`,
      );
    }
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) problems.push(`column "${column}" appears twice`);
    seen.add(column);
  }
  return problems;
}

/**
 * Validates one data row with the rules the adapters apply before sending (path-safe ids, a UUID
 * for Briqpay, amounts in the currency's exponent, what each provider supports), so that a bad
 * row is found before anything is sent. Returns the row or its problems (one per field).
 */
export function validateRow(
  columns: readonly string[],
  fields: string[],
  row: number,
  line: number,
): BulkRow | RowProblem[] {
  const problems: RowProblem[] = [];
  const problem = (field: string | null, message: string) => {
    problems.push({ row, line, field, message });
  };
  if (fields.length !== columns.length) {
    problem(null, `has ${fields.length} fields, the header has ${columns.length}`);
    return problems;
  }
  const indexes = indexesOf(columns);
  const value = (column: Column): string | undefined => {
    const index = indexes[column];
    const text = index < 0 ? undefined : fields[index];
    return text === undefined || text === "" ? undefined : text;
  };
  const providerText = value("provider");
  if (providerText === undefined || !(PROVIDERS as readonly string[]).includes(providerText)) {
    problem(
      "provider",
      providerText === undefined
        ? `is empty: one of ${PROVIDERS.join(", ")}`
        : `unknown provider "${providerText}": one of ${PROVIDERS.join(", ")}`,
    );
    return problems;
  }
  const provider = providerText as ProviderName;
  const can = capabilities(provider);
  // core's checks throw RefundError("invalid_request") with the reason; keep the reason.
  const check = (field: Column, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!isRefundError(error)) throw error;
      problem(field, error.message.replace(/^[a-z]+: /, ""));
    }
  };

  const orderId = value("order_id");
  check("order_id", () => assertPathId(provider, "order_id", orderId ?? ""));
  if (provider === "briqpay" && orderId !== undefined && !UUID.test(orderId)) {
    problem("order_id", "must be the Briqpay session id, a UUID");
  }

  const currency = value("currency");
  if (currency !== undefined && !isCurrencyCode(currency)) {
    const upper = String(currency).toUpperCase();
    problem(
      "currency",
      `"${currency}" is not an ISO 4217 code${isCurrencyCode(upper) ? ` (use upper case: ${upper})` : ""}`,
    );
  }
  const amountTyped = value("amount") ?? "";
  let amount: number | undefined;
  if (amountTyped === "") {
    if (!can.fullRefundWithoutAmount) {
      problem("amount", `is empty, but ${provider} has no full refund without an amount`);
    }
  } else if (!can.partialRefunds) {
    problem("amount", `${provider} refunds whole orders only: leave amount empty`);
  } else if (currency === undefined) {
    problem("currency", "is required with an amount");
  } else if (isCurrencyCode(currency)) {
    try {
      amount = parseTypedAmount(amountTyped, currency);
      if (amount === 0) problem("amount", "must be more than 0");
    } catch (error) {
      problem("amount", (error as Error).message);
    }
  }

  const reason = value("reason");
  check("reason", () => assertOptionalString(provider, "reason", reason, REASON_LIMIT[provider]));
  const idempotencyKey = value("idempotency_key");
  if (idempotencyKey !== undefined) {
    check("idempotency_key", () => assertIdempotencyKey(provider, idempotencyKey));
  }
  for (const [column, only] of ONLY_FOR_ENTRIES) {
    if (value(column) !== undefined && provider !== only) {
      problem(column, `only ${only} takes ${column}; leave it empty for ${provider}`);
    }
  }
  const managerConfirmation = value("manager_confirmation");
  check("manager_confirmation", () =>
    assertOptionalString(provider, "manager_confirmation", managerConfirmation, 255),
  );
  const transactionId = value("transaction_id");
  if (transactionId !== undefined && provider === "moyasar") {
    check("transaction_id", () => assertPathId(provider, "transaction_id", transactionId));
    if (idempotencyKey !== undefined && idempotencyKey !== transactionId) {
      problem(
        "transaction_id",
        "and idempotency_key are both MPG's transaction_id: give one, or the same value",
      );
    }
  }
  const captureId = value("capture_id");
  if (captureId !== undefined && provider === "briqpay" && !UUID.test(captureId)) {
    problem("capture_id", "must be a UUID");
  }
  if (problems.length > 0) return problems;
  // A run keeps its rows' fields in memory when the file is small (pass 1's items, see run.ts):
  // each provider and currency is one string shared by its rows rather than one per row, and
  // the fields an exact-length array (csv-parse's record array has room for 17).
  const kept = fields.slice();
  kept[indexes.provider] = PROVIDERS[PROVIDERS.indexOf(provider)] as ProviderName;
  if (currency !== undefined) kept[indexes.currency] = sharedText(currency);
  return buildRow(indexes, kept, row, line, amount);
}

/**
 * A row `validateRow` has accepted, as a BulkRow again from its fields (as `validateRow` gave
 * them) without repeating the checks: for the rows a run keeps between its passes.
 */
export function validatedRow(
  columns: readonly string[],
  fields: string[],
  row: number,
  line: number,
): BulkRow {
  const indexes = indexesOf(columns);
  const amountTyped = fields[indexes.amount] ?? "";
  const currency = indexes.currency < 0 ? "" : (fields[indexes.currency] ?? "");
  const amount =
    amountTyped === "" || currency === "" ? undefined : parseTypedAmount(amountTyped, currency);
  return buildRow(indexes, fields, row, line, amount);
}

/** The BulkRow of valid fields (`amount`: the typed amount in minor units, if any). */
function buildRow(
  indexes: Record<Column, number>,
  fields: string[],
  row: number,
  line: number,
  amount: number | undefined,
): BulkRow {
  const value = (column: Column): string | undefined => {
    const index = indexes[column];
    const text = index < 0 ? undefined : fields[index];
    return text === undefined || text === "" ? undefined : text;
  };
  // Filled in place (no spread per optional field): built for every row of every pass.
  const valid: BulkRow = {
    row,
    line,
    provider: value("provider") as ProviderName,
    orderId: value("order_id") ?? "",
    amountTyped: value("amount") ?? "",
    fields,
  };
  if (amount !== undefined) valid.amount = amount;
  const currency = value("currency");
  if (currency !== undefined) valid.currency = currency;
  const reason = value("reason");
  if (reason !== undefined) valid.reason = reason;
  const idempotencyKey = value("idempotency_key");
  if (idempotencyKey !== undefined) valid.idempotencyKey = idempotencyKey;
  const managerConfirmation = value("manager_confirmation");
  if (managerConfirmation !== undefined) valid.managerConfirmation = managerConfirmation;
  const transactionId = value("transaction_id");
  if (transactionId !== undefined) valid.transactionId = transactionId;
  const captureId = value("capture_id");
  if (captureId !== undefined) valid.captureId = captureId;
  return valid;
}

/** The valid currency codes seen, each the one string its rows share (at most ISO 4217's). */
const currencyTexts = new Map<string, string>();
function sharedText(currency: string): string {
  const known = currencyTexts.get(currency);
  if (known !== undefined) return known;
  currencyTexts.set(currency, currency);
  return currency;
}

/** The facade request for a row, with the idempotency key the journal decided. */
export function requestFor(row: BulkRow, idempotencyKey: string | null): RefundRequest {
  // One object filled in place (no spread per optional field): built for every row sent.
  const request: Record<string, unknown> = { provider: row.provider, orderId: row.orderId };
  if (row.amount !== undefined) request.amount = row.amount;
  if (row.currency !== undefined) request.currency = row.currency;
  if (row.reason !== undefined) request.reason = row.reason;
  if (idempotencyKey !== null) request.idempotencyKey = idempotencyKey;
  if (row.managerConfirmation !== undefined) request.managerConfirmation = row.managerConfirmation;
  if (row.captureId !== undefined) request.captureId = row.captureId;
  return request as unknown as RefundRequest;
}

/** One item read from a bulk CSV: the header, a valid row, or a bad row with its problems. */
export type CsvItem =
  | { kind: "header"; columns: string[]; problems: string[] }
  | { kind: "row"; row: BulkRow }
  | { kind: "bad"; problems: RowProblem[]; fields: string[] };

/**
 * A record csv-parse cannot read: a quote never closed, or a quote inside a field that is not
 * quoted as a whole. The rows before it are read; nothing after it can be, because where the
 * next row starts is not known (a quote never closed takes every later line into its field). A
 * run refuses the whole file (exit 2), `--skip-invalid` included: it skips invalid rows, not a
 * file that cannot be read. `problem` names the row the record would be and the line it starts
 * on (0 when read without lines) with what is wrong; the error's message is the refusal.
 */
export class UnreadableCsvError extends UsageError {
  readonly problem: RowProblem;

  /**
   * @param columns the header's columns when it was read (the broken field is named after its
   *   column), else null.
   */
  constructor(row: number, line: number, cause: unknown, columns: readonly string[] | null = null) {
    const { message, column } = unreadableRecord(cause);
    super(
      `row ${row}${line > 0 ? ` (line ${line})` : ""} cannot be read as CSV, nor anything after it; nothing was sent. Fix its quoting (--skip-invalid skips invalid rows, not a file that cannot be read)`,
      { cause },
    );
    const field = column === undefined ? null : (columns?.[column] ?? `column ${column + 1}`);
    this.problem = { row, line, field, message };
  }
}

/** The longest part of a field quoted back in a message. */
const QUOTED_FIELD_MAX = 20;

/**
 * What is wrong with a record csv-parse cannot read, in words, and the zero-based column of the
 * broken field where csv-parse says which (its `index`). csv-parse's own messages count fields
 * from 0 and name the line where it gave up, not the row's; the codes are csv-parse's
 * (https://csv.js.org/parse/errors/). RFC 4180 section 2 (https://www.rfc-editor.org/rfc/rfc4180#section-2):
 * a field with a quote in it is quoted as a whole, and the quote inside is written twice.
 */
function unreadableRecord(cause: unknown): { message: string; column: number | undefined } {
  const details = (typeof cause === "object" && cause !== null ? cause : {}) as {
    code?: unknown;
    index?: unknown;
    field?: unknown;
  };
  const column = typeof details.index === "number" ? details.index : undefined;
  switch (details.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        message:
          "Quote Not Closed: a quoted field in this row is never closed, so every line after it would be read into that field",
        column: undefined,
      };
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return {
        message:
          'Invalid Closing Quote: a quoted field goes on after its closing quote; a quote inside a quoted field is written twice ("")',
        column,
      };
    case "INVALID_OPENING_QUOTE": {
      const before = typeof details.field === "string" ? details.field : "";
      const shown =
        before.length > QUOTED_FIELD_MAX ? `${before.slice(0, QUOTED_FIELD_MAX)}...` : before;
      return {
        message: `Invalid Opening Quote: a quote in the middle of a field that is not quoted (after "${shown}"); quote the whole field and write the quote inside twice ("")`,
        column,
      };
    }
    default:
      return { message: cause instanceof Error ? cause.message : String(cause), column };
  }
}

/**
 * Streams a bulk CSV (csv-parse: quoted fields, a UTF-8 BOM, CRLF or LF) in constant memory:
 * the header first, then each data row validated. A record csv-parse cannot read (an unclosed
 * quote) ends the read: UnreadableCsvError, after the rows before it.
 */
export async function* readBulkCsv(
  file: string,
  options: {
    /**
     * Rows already known valid (validated by an earlier pass of the same run, e.g. because they
     * have an outcome): given as read, their fields not checked again. Default: none.
     */
    known?: (row: number) => boolean;
    /**
     * Whether rows carry the file line they start on (`line`; csv-parse's per-record info,
     * which costs a few microseconds a row). Default true; false: `line` is 0 on rows (a bad
     * record csv-parse skips still has its line).
     */
    lines?: boolean;
  } = {},
): AsyncGenerator<CsvItem> {
  for await (const batch of readBulkCsvBatches(file, options)) yield* batch;
}

/** What `readBulkCsv` and `readBulkCsvBatches` take. */
type ReadOptions = NonNullable<Parameters<typeof readBulkCsv>[1]>;

/**
 * `readBulkCsv` a chunk of the file at a time: the items of each chunk read (64 KiB, some
 * hundreds of rows) in one array, so that a pass over the file pays one await per chunk rather
 * than two per row (the parser's async iterator and this generator's).
 *
 * The parser is driven by hand: each chunk of the file is written to it (csv-parse parses a
 * chunk synchronously in `write`), then its records are taken with `read()` until none is left.
 */
export async function* readBulkCsvBatches(
  file: string,
  options: ReadOptions = {},
): AsyncGenerator<CsvItem[]> {
  const known = options.known;
  const lines = options.lines !== false;
  let failure: unknown = null;
  // No `skip_records_with_error`: past a record csv-parse cannot read (a quote never closed, a
  // quote in the middle of a field), where the next row starts is a guess. Skipping it swallowed
  // the valid rows the broken field ran into, with no trace of them in the report or the
  // results. The read stops there instead (UnreadableCsvError).
  const parser = parse({
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: lines,
  });
  parser.on("error", (error: Error) => {
    failure ??= error;
  });
  let columns: string[] | null = null;
  let row = 0;
  /** The line the last record read ends on (0 when read without lines). */
  let lastLine = 0;
  type Record = { record: string[]; info: { lines: number } } | string[];
  /** Adds the item of one record read by the parser. */
  const add = (items: CsvItem[], item: Record) => {
    const record = Array.isArray(item) ? item : item.record;
    if (!Array.isArray(item)) lastLine = item.info.lines;
    if (columns === null) {
      columns = record;
      items.push({ kind: "header", columns, problems: checkHeader(columns) });
      return;
    }
    row++;
    // info.lines is the line the record ends on; count back its embedded line breaks.
    const line = Array.isArray(item) ? 0 : item.info.lines - countBreaks(record);
    if (known?.(row) === true && record.length === columns.length) {
      // Validated by an earlier pass: its fields as read, for the results (no checks repeated,
      // no amount parsed).
      items.push({ kind: "row", row: buildRow(indexesOf(columns), record, row, line, undefined) });
      return;
    }
    const result = validateRow(columns, record, row, line);
    if (Array.isArray(result)) items.push({ kind: "bad", problems: result, fields: record });
    else items.push({ kind: "row", row: result });
  };
  /** The error that ends the read, after the rows before it. */
  const unreadable = (error: unknown) =>
    new UnreadableCsvError(
      columns === null ? 0 : row + 1,
      lines ? lastLine + 1 : 0,
      error,
      columns,
    );
  // A reader that stops early (a bad header, pass 1 starting over) closes the file too: the
  // for-await below ends the read stream when this generator is returned.
  for await (const chunk of createReadStream(file)) {
    parser.write(chunk);
    const items: CsvItem[] = [];
    for (let item = parser.read(); item !== null; item = parser.read()) add(items, item);
    if (items.length > 0) yield items;
    if (failure !== null) throw unreadable(failure);
  }
  // The last record (a file without a final line break), and an unclosed quote at the end.
  parser.end();
  const items: CsvItem[] = [];
  try {
    for await (const item of parser as AsyncIterable<Record>) add(items, item);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== null) {
    if (items.length > 0) yield items;
    throw unreadable(failure);
  }
  if (columns === null) {
    items.push({
      kind: "header",
      columns: [],
      problems: [
        `the file is empty: the first line must be the header ${REQUIRED_COLUMNS.join(",")}`,
      ],
    });
  }
  if (items.length > 0) yield items;
}

function countBreaks(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    for (let index = field.indexOf("\n"); index >= 0; index = field.indexOf("\n", index + 1)) {
      breaks++;
    }
  }
  return breaks;
}
