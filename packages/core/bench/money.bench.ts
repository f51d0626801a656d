import { bench, describe } from "vitest";
import { majorToMinor, minorToMajor, minorToMajorNumber } from "../src/money.js";
import { assertPathId } from "../src/validate.js";

describe("money", () => {
  bench("minorToMajor 2498 USD", () => {
    minorToMajor(2498, "USD");
  });
  bench("minorToMajorNumber 2498 AUD (with exactness check)", () => {
    minorToMajorNumber(2498, "AUD");
  });
  bench("majorToMinor 24.98 USD (number)", () => {
    majorToMinor(24.98, "USD");
  });
  bench('majorToMinor "1.005" KWD (string)', () => {
    majorToMinor("1.005", "KWD");
  });
});

describe("validate", () => {
  bench("assertPathId uuid", () => {
    assertPathId("sezzle", "orderId", "0ad8bb13-d5c4-4c6c-b8d9-8e3e5bb1a2ce");
  });
});
