import { describe, expect, it } from "vitest";
import { bytesBodyForClone, mixinBytesBody, setBytesBody } from "../src/internal.js";

class BytesRequest extends Request {
  constructor(bytes: Uint8Array | null, contentType = "application/json") {
    super("https://example.test/x", { method: "POST", headers: { "content-type": contentType } });
    setBytesBody(this, bytes);
  }
  override clone(): Request {
    return new BytesRequest(bytesBodyForClone(this), this.headers.get("content-type") ?? "");
  }
}
mixinBytesBody(BytesRequest.prototype);

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("a body served from bytes in memory", () => {
  it("reads as text, JSON, bytes, an ArrayBuffer and a Blob, like a fetch body", async () => {
    expect(await new BytesRequest(utf8('{"a":1}')).json()).toEqual({ a: 1 });
    expect(await new BytesRequest(utf8("\ufeffhé")).text()).toBe("hé");
    expect([...(await new BytesRequest(utf8("ab")).bytes())]).toEqual([97, 98]);
    expect(new Uint8Array(await new BytesRequest(utf8("ab")).arrayBuffer())).toEqual(utf8("ab"));
    const blob = await new BytesRequest(utf8("ab"), "text/plain").blob();
    expect([blob.type, await blob.text()]).toEqual(["text/plain", "ab"]);
  });

  it("is read at most once, and a clone after a read is refused", async () => {
    const request = new BytesRequest(utf8("ab"));
    expect(request.bodyUsed).toBe(false);
    await request.text();
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
    expect(() => request.clone()).toThrow(TypeError);
  });

  it("gives each reader its own copy: changing what one read returns changes nothing else", async () => {
    const bytes = utf8("ab");
    const request = new BytesRequest(bytes);
    const copy = request.clone();
    const read = await request.bytes();
    read[0] = 0;
    expect(bytes[0]).toBe(97);
    expect(await copy.text()).toBe("ab");
  });

  it("streams the bytes from `body`, which then counts as read; no bytes, no body", async () => {
    const request = new BytesRequest(utf8("ab"));
    const body = request.body;
    expect(request.bodyUsed).toBe(false);
    expect(await new Response(body).text()).toBe("ab");
    expect(request.bodyUsed).toBe(true);
    await expect(request.json()).rejects.toThrow(TypeError);
    const empty = new BytesRequest(null);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe("");
  });
});
