import { describe, expect, it } from "vitest";
import {
  assertHeaderSafe,
  assertHttpUrl,
  configError,
  optionalString,
  requireSecret,
  resolveBaseUrl,
  resolveTokenOrPair,
} from "../src/config.js";
import { RefundError } from "../src/errors.js";
import { Secret } from "../src/redact.js";

const SERVERS = { sandbox: "https://sandbox.example", production: "https://api.example" };

function refusal(check: () => unknown): RefundError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(RefundError);
    const refundError = error as RefundError;
    expect(refundError).toMatchObject({
      code: "invalid_request",
      provider: "levelup",
      status: null,
      retryable: false,
    });
    expect(refundError.message.startsWith("levelup: ")).toBe(true);
    return refundError;
  }
  throw new Error("expected the check to throw");
}

describe("configError", () => {
  it("is invalid_request, no status, not retryable, prefixed with the provider", () => {
    expect(configError("moyasar", "apiKey is required").toJSON()).toEqual({
      name: "RefundError",
      code: "invalid_request",
      provider: "moyasar",
      status: null,
      retryable: false,
      idempotencyKey: null,
      retryAfterMs: null,
      refundId: null,
      message: "moyasar: apiKey is required",
      raw: null,
    });
  });
});

describe("resolveBaseUrl", () => {
  it("picks the environment's server; baseUrl wins, trailing slashes trimmed", () => {
    expect(resolveBaseUrl("levelup", { environment: "sandbox" }, SERVERS)).toBe(SERVERS.sandbox);
    expect(resolveBaseUrl("levelup", { environment: "production" }, SERVERS)).toBe(
      SERVERS.production,
    );
    expect(
      resolveBaseUrl(
        "levelup",
        { environment: "production", baseUrl: "http://localhost:4010/x//" },
        SERVERS,
      ),
    ).toBe("http://localhost:4010/x");
  });

  it("has no default host", () => {
    expect(refusal(() => resolveBaseUrl("levelup", {}, SERVERS)).message).toMatch(
      /environment .* or baseUrl is required/,
    );
  });

  it("refuses an unknown environment, even with a baseUrl", () => {
    for (const environment of ["live", null, 1]) {
      expect(
        refusal(() =>
          resolveBaseUrl("levelup", { environment, baseUrl: "https://x.example" }, SERVERS),
        ).message,
      ).toContain('environment must be "sandbox" or "production"');
    }
  });

  it("refuses a baseUrl that is not absolute http(s), or that has credentials, a query or a fragment, without echoing it", () => {
    for (const baseUrl of ["not a url sekrit", "", null, 42, "ftp://sekrit.example", "/v1"]) {
      const error = refusal(() => resolveBaseUrl("levelup", { baseUrl }, SERVERS));
      expect(error.message).toContain("baseUrl must be an absolute http(s) URL");
      expect(error.message).not.toContain("sekrit");
    }
    for (const baseUrl of [
      "https://user:sekrit@api.example",
      "https://sekrit@api.example",
      "https://api.example/?key=sekrit",
      "https://api.example/#sekrit",
    ]) {
      const error = refusal(() => resolveBaseUrl("levelup", { baseUrl }, SERVERS));
      expect(error.message).toContain("must not contain credentials, a query or a fragment");
      expect(error.message).not.toContain("sekrit");
    }
  });
});

describe("assertHttpUrl", () => {
  it("names the field", () => {
    expect(assertHttpUrl("levelup", "authUrl", "https://auth.example/")).toBe(
      "https://auth.example",
    );
    expect(refusal(() => assertHttpUrl("levelup", "authUrl", "ftp://x")).message).toContain(
      "authUrl must be an absolute http(s) URL",
    );
  });
});

describe("optionalString", () => {
  it("reads undefined and null as not given, refuses empty or non-strings without echoing", () => {
    expect(optionalString("levelup", "token", undefined)).toBeUndefined();
    expect(optionalString("levelup", "token", null)).toBeUndefined();
    expect(optionalString("levelup", "token", "t")).toBe("t");
    for (const value of ["", 42, new Secret("sekrit"), {}]) {
      const error = refusal(() => optionalString("levelup", "token", value));
      expect(error.message).toContain("token must be a non-empty string when given");
      expect(error.message).not.toContain("sekrit");
    }
  });
});

describe("requireSecret", () => {
  it("takes a non-empty string or Secret and returns a Secret", () => {
    expect(requireSecret("levelup", "token", "t").reveal()).toBe("t");
    const secret = new Secret("s");
    expect(requireSecret("levelup", "token", secret)).toBe(secret);
  });

  it("names the field, with its description, and never echoes", () => {
    for (const value of [undefined, null, "", new Secret("")]) {
      expect(refusal(() => requireSecret("levelup", "token", value, "the token")).message).toBe(
        "levelup: token is required (the token)",
      );
    }
    expect(refusal(() => requireSecret("levelup", "apiKey", undefined)).message).toBe(
      "levelup: apiKey is required",
    );
    expect(refusal(() => requireSecret("levelup", "apiKey", 42)).message).toBe(
      "levelup: apiKey must be a string",
    );
  });
});

describe("assertHeaderSafe", () => {
  it("accepts visible ASCII only, never echoing the value", () => {
    expect(() =>
      assertHeaderSafe("levelup", "token", new Secret("abc.DEF-123_~+/=")),
    ).not.toThrow();
    for (const value of ["sekrit value", "sekrit\r\nX-Evil: 1", "sekrité", "", "sekrit\t"]) {
      const error = refusal(() => assertHeaderSafe("levelup", "token", new Secret(value)));
      expect(error.message).toContain("token must be visible ASCII without spaces");
      expect(error.message).not.toContain("sekrit");
    }
  });
});

describe("resolveTokenOrPair", () => {
  it("returns the token or the pair as Secrets", () => {
    const token = resolveTokenOrPair("levelup", { token: "t" }, "publicKey", "privateKey");
    expect(token.kind === "token" && token.token.reveal()).toBe("t");
    const pair = resolveTokenOrPair(
      "levelup",
      { publicKey: "p", privateKey: "q", token: null },
      "publicKey",
      "privateKey",
    );
    expect(pair.kind === "pair" && pair.pair.publicKey.reveal()).toBe("p");
    expect(pair.kind === "pair" && pair.pair.privateKey.reveal()).toBe("q");
    expect(pair.kind === "pair" && pair.token).toBeUndefined();
    const both = resolveTokenOrPair(
      "levelup",
      { token: "t", publicKey: "p", privateKey: "q" },
      "publicKey",
      "privateKey",
    );
    expect(both.kind === "pair" && both.token?.reveal()).toBe("t");
    expect(both.kind === "pair" && both.pair.publicKey.reveal()).toBe("p");
  });

  it("refuses both, neither, half a pair or a token unfit for a header, never echoing", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ token: "sekrit", publicKey: "sekrit" }, "privateKey is required with publicKey"],
      [{}, "credentials are required: token, or publicKey and privateKey"],
      [{ privateKey: "sekrit" }, "publicKey is required with privateKey"],
      [{ publicKey: "sekrit" }, "privateKey is required with publicKey"],
      [{ token: "" }, "token must be a non-empty string when given"],
      [{ token: "sekrit\n" }, "token must be visible ASCII"],
    ];
    for (const [config, message] of cases) {
      const error = refusal(() => resolveTokenOrPair("levelup", config, "publicKey", "privateKey"));
      expect(error.message).toContain(message);
      expect(error.message).not.toContain("sekrit");
    }
  });
});
