import { describe, expect, it } from "vitest";
import { isRefundError, RefundError } from "../src/index.js";

describe("RefundError brand (dual-package hazard)", () => {
  const made = () => new RefundError({ code: "declined", provider: "sezzle", message: "declined" });

  it("recognises a RefundError made by another copy of the class (same global brand)", () => {
    // What a second copy of core (the CJS build beside the ESM one) produces: its own class,
    // its own prototype, the same Symbol.for brand.
    class OtherCopyRefundError extends Error {}
    Object.defineProperty(OtherCopyRefundError.prototype, Symbol.for("refundkit.RefundError"), {
      value: true,
    });
    const foreign = new OtherCopyRefundError("declined");
    expect(isRefundError(foreign)).toBe(true);
    expect(foreign instanceof RefundError).toBe(true);
  });

  it("does not recognise look-alikes without the brand", () => {
    const lookalike = Object.assign(new Error("declined"), {
      name: "RefundError",
      code: "declined",
      provider: "sezzle",
    });
    expect(isRefundError(lookalike)).toBe(false);
    expect(isRefundError(null)).toBe(false);
    expect(isRefundError("RefundError")).toBe(false);
    expect(isRefundError({ [Symbol.for("refundkit.RefundError")]: false })).toBe(false);
  });

  it("keeps the brand out of JSON and own keys, and subclasses keep the prototype check", () => {
    const error = made();
    expect(isRefundError(error)).toBe(true);
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.stringify(error)).not.toContain("refundkit.RefundError");
    class Narrower extends RefundError {}
    expect(error instanceof Narrower).toBe(false);
    expect(
      new Narrower({ code: "timeout", provider: "optty", message: "t" }) instanceof Narrower,
    ).toBe(true);
    expect(
      new Narrower({ code: "timeout", provider: "optty", message: "t" }) instanceof RefundError,
    ).toBe(true);
  });
});
