import { describe, expect, it } from "vitest";
import { httpDate, isoMillis, isoSeconds } from "../src/time.js";

// The mock's timestamps are formatted from a per-second cache (src/time.ts): they must be what
// Date writes, for any time, in any order of calls.
describe("timestamps", () => {
  const now = Date.UTC(2026, 10, 30, 23, 59, 59, 999);
  const times = [
    0,
    1,
    999,
    1000,
    now,
    now + 1,
    now - 998,
    now + 9,
    now + 90,
    Date.UTC(2024, 1, 29, 12, 0, 0, 5),
    253_402_300_799_999,
    253_402_300_800_000,
    -1,
    -86_400_001,
    1.5,
    now + 0.25,
  ];
  for (let index = 0; index < 200; index++) times.push(Math.floor(Math.random() * 4e12));

  it("isoMillis, isoSeconds and httpDate write what Date does, in any order", () => {
    for (const order of [times, [...times].reverse(), times.flatMap((t) => [t, now, t])]) {
      for (const ms of order) {
        const date = new Date(ms);
        expect(isoMillis(ms), String(ms)).toBe(date.toISOString());
        expect(isoSeconds(ms), String(ms)).toBe(date.toISOString().replace(/\.\d{3}Z$/, "Z"));
        expect(httpDate(ms), String(ms)).toBe(date.toUTCString());
      }
    }
  });

  it("an invalid time throws as Date does", () => {
    expect(() => isoMillis(Number.NaN)).toThrow(RangeError);
    expect(() => isoSeconds(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(httpDate(Number.NaN)).toBe("Invalid Date");
  });
});
