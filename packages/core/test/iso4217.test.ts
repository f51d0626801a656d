/**
 * The currency table shipped in src/iso4217.ts is exactly what scripts/iso4217.ts renders from
 * the installed ISO 4217 source (`currency-codes`), and money.ts reads it back to the same
 * codes and exponents as the source.
 */
import { readFileSync } from "node:fs";
import { data, publishDate } from "currency-codes";
import { describe, expect, it } from "vitest";
import { NO_MINOR_UNIT, render } from "../scripts/iso4217.js";
import { currencyCodes, currencyExponent } from "../src/money.js";

describe("ISO 4217 table", () => {
  it("equals what scripts/iso4217.ts renders from currency-codes", () => {
    const committed = readFileSync(new URL("../src/iso4217.ts", import.meta.url), "utf8");
    expect(committed).toBe(render(data, publishDate));
  });

  it("gives every source currency with a minor unit its exponent, and nothing else", () => {
    const expected = new Map(
      data
        .filter((record) => !(NO_MINOR_UNIT as readonly string[]).includes(record.code))
        .map((record) => [record.code, record.digits]),
    );
    expect(currencyCodes()).toEqual([...expected.keys()].sort());
    for (const [code, digits] of expected) expect(currencyExponent(code)).toBe(digits);
  });
});
