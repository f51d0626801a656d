/**
 * Writes src/iso4217.ts from the ISO 4217 list of the `currency-codes` package (which follows the
 * ISO 4217 list one, https://www.iso.org/iso-4217-currency-codes.html):
 * only what refundkit needs, the valid codes and the minor-unit exponents that differ from 2.
 * Run by the build (`tsx scripts/iso4217.ts`); test/iso4217.test.ts checks the committed file
 * equals what this renders from the installed package. `--check` exits 1 when it differs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { data, publishDate } from "currency-codes";

/**
 * ISO 4217 lists these codes with no minor unit at all ("N.A.": precious metals, bond units, SDR,
 * the testing and "no currency" codes). `currency-codes` stores them as 0 digits, which would make
 * them look like JPY; they are not amounts anyone refunds, so they are not currencies here.
 */
export const NO_MINOR_UNIT = [
  "XAG",
  "XAU",
  "XBA",
  "XBB",
  "XBC",
  "XBD",
  "XDR",
  "XPD",
  "XPT",
  "XSU",
  "XTS",
  "XUA",
  "XXX",
] as const;

interface Iso4217Record {
  code: string;
  digits: number;
}

/** The file text for `records`: codes with a defined minor unit of 0-4 digits, sorted. */
export function render(records: readonly Iso4217Record[], date: string): string {
  const excluded = new Set<string>(NO_MINOR_UNIT);
  const currencies = records
    .filter(
      (record) =>
        /^[A-Z]{3}$/.test(record.code) &&
        !excluded.has(record.code) &&
        Number.isInteger(record.digits) &&
        record.digits >= 0 &&
        record.digits <= 4,
    )
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  // By first letter: a lower-case letter, then the last two letters of each code starting with
  // it, each followed by its exponent when that is not 2 (most are 2). A third of the letters go,
  // and what is left compresses better: the table is most of the bytes of core's money code in a
  // bundle (issue 8's size budget).
  let codes = "";
  let first = "";
  for (const { code, digits } of currencies) {
    if (code[0] !== first) {
      first = code[0] ?? "";
      codes += first.toLowerCase();
    }
    codes += code.slice(1) + (digits === 2 ? "" : String(digits));
  }
  return `// Generated from currency-codes (ISO 4217 data of ${date}) by this package's iso4217 script. Do not edit.

/**
 * Every ISO 4217 code with a minor unit, sorted, grouped by first letter: a lower-case letter
 * starts the codes that begin with it, followed by the last two letters of each, then its
 * minor-unit exponent when that is not 2 ("aEDFN" is AED AFN; "bHD3IF0" is BHD 3, BIF 0).
 * Read by money.ts.
 */
export const CODES =
  "${codes}";

/** Codes ISO 4217 lists without a minor unit (metals, funds, testing), separated by spaces. */
export const NO_MINOR_UNIT = "${NO_MINOR_UNIT.join(" ")}";
`;
}

const target = fileURLToPath(new URL("../src/iso4217.ts", import.meta.url));
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render(data, publishDate);
  const current = readFileSync(target, { encoding: "utf8", flag: "a+" });
  if (current === text) {
    console.log("src/iso4217.ts is up to date");
  } else if (process.argv.includes("--check")) {
    console.error("src/iso4217.ts differs from currency-codes: run `tsx scripts/iso4217.ts`");
    process.exitCode = 1;
  } else {
    writeFileSync(target, text);
    console.log("wrote src/iso4217.ts");
  }
}
