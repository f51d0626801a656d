import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactHeaders, Secret } from "../src/redact.js";

const VALUE = "sk_live_51HxYzTOPSECRET";

describe("Secret", () => {
  const secret = new Secret(VALUE);
  const config = { sezzle: { publicKey: "pk_public", privateKey: secret } };

  it("reveals the value only through reveal()", () => {
    expect(secret.reveal()).toBe(VALUE);
    expect(Secret.from(secret)).toBe(secret);
    expect(Secret.from(VALUE).reveal()).toBe(VALUE);
  });

  it("never shows the value when stringified, serialized or inspected", () => {
    const renderings = [
      String(secret),
      `${secret}`,
      `Authorization: Bearer ${secret}`,
      // biome-ignore lint/style/useTemplate: concatenation is a rendering path of its own
      "x" + secret,
      JSON.stringify(config),
      JSON.stringify(secret),
      inspect(config, { depth: 10, showHidden: true }),
      inspect(secret),
      Object.keys(secret).join(","),
      JSON.stringify(Object.entries(secret)),
    ];
    for (const text of renderings) expect(text).not.toContain("TOPSECRET");
    expect(String(secret)).toBe("[redacted]");
    expect(JSON.stringify(config)).toBe(
      '{"sezzle":{"publicKey":"pk_public","privateKey":"[redacted]"}}',
    );
    expect(inspect(secret)).toBe("[redacted]");
  });

  it("never shows the value in console output", () => {
    // A real Console writing to a capture stream: the formatting console.log uses.
    const writes: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writes.push(chunk.toString());
        callback();
      },
    });
    const logger = new Console({ stdout: stream, stderr: stream });
    logger.log(secret, config, `${secret}`);
    logger.info("%s %o %O %j", secret, config, config, config);
    logger.error(new Error(`failed with ${secret}`));
    logger.dir(config, { depth: 10, showHidden: true });
    const output = writes.join("");
    expect(output).toContain("[redacted]");
    expect(output).toContain("pk_public");
    expect(output).not.toContain("TOPSECRET");
  });
});

describe("redactHeaders", () => {
  it("redacts credentials and keeps the rest", () => {
    const headers = new Headers({
      Authorization: "Bearer abc",
      "Proxy-Authorization": "Basic xyz",
      Cookie: "sid=1",
      "X-Api-Key": "k1",
      apikey: "k2",
      "X-Client-Secret": "s",
      "X-Auth-Token": "t",
      "Content-Type": "application/json",
      "Sezzle-Request-Id": "req-1",
      "Idempotency-Key": "idem-1",
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: "[redacted]",
      "proxy-authorization": "[redacted]",
      cookie: "[redacted]",
      "x-api-key": "[redacted]",
      apikey: "[redacted]",
      "x-client-secret": "[redacted]",
      "x-auth-token": "[redacted]",
      "content-type": "application/json",
      "sezzle-request-id": "req-1",
      "idempotency-key": "idem-1",
    });
  });

  it("accepts plain objects and entry lists", () => {
    expect(redactHeaders({ authorization: "token abc", accept: "*/*" })).toEqual({
      authorization: "[redacted]",
      accept: "*/*",
    });
    expect(redactHeaders([["Set-Cookie", "a=b"]])).toEqual({ "set-cookie": "[redacted]" });
  });
});
