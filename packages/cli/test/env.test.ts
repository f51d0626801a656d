import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFromEnv, withDotEnv } from "../src/internal/env.js";

describe("credentials from a .env file", () => {
  it("reads .env in the directory, under the variables already set", () => {
    const dir = mkdtempSync(join(tmpdir(), "refundkit-env-"));
    writeFileSync(
      join(dir, ".env"),
      'REFUNDKIT_MOYASAR_API_KEY=sk_from_file\nREFUNDKIT_LEVELUP_TOKEN="quoted token"\n# a comment\nREFUNDKIT_ENVIRONMENT=sandbox\n',
    );
    const env = withDotEnv({ REFUNDKIT_LEVELUP_TOKEN: "from-environment" }, dir);
    expect(env.REFUNDKIT_MOYASAR_API_KEY).toBe("sk_from_file");
    expect(env.REFUNDKIT_LEVELUP_TOKEN).toBe("from-environment");
    expect(configFromEnv("moyasar", env)).toEqual({
      moyasar: { environment: "sandbox", apiKey: "sk_from_file" },
    });
  });

  it("without a .env file the environment is used as is", () => {
    const dir = mkdtempSync(join(tmpdir(), "refundkit-env-"));
    const env = {
      REFUNDKIT_MOYASAR_API_KEY: "k",
      REFUNDKIT_MOYASAR_BASE_URL: "http://127.0.0.1:1/moyasar",
    };
    expect(withDotEnv(env, dir)).toBe(env);
    expect(configFromEnv("moyasar", env)).toEqual({
      moyasar: { baseUrl: "http://127.0.0.1:1/moyasar", apiKey: "k" },
    });
  });

  it("--environment sets aside a base URL from the environment, which would otherwise win", () => {
    const env = {
      REFUNDKIT_MOYASAR_API_KEY: "k",
      REFUNDKIT_MOYASAR_BASE_URL: "http://127.0.0.1:1/moyasar",
    };
    expect(configFromEnv("moyasar", env, { environment: "production" })).toEqual({
      moyasar: { environment: "production", apiKey: "k" },
    });
    expect(configFromEnv("moyasar", env, { baseUrl: "http://127.0.0.1:2/moyasar" })).toEqual({
      moyasar: { baseUrl: "http://127.0.0.1:2/moyasar", apiKey: "k" },
    });
  });
});
