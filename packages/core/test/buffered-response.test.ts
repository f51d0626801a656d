/**
 * The response the resilient fetch returns answers every body method as the original `Response`
 * would, from the bytes read once under the attempt's deadline: the same values, one read per
 * response (clones read their own), and copies a reader may change without touching a clone's.
 */
import { describe, expect, it } from "vitest";
import { createResilientFetch } from "../src/resilient-fetch.js";

const URL_ = "https://api.example.com/v1/lookup";
const answer = (body: string | Uint8Array<ArrayBuffer>, type: string) =>
  createResilientFetch({
    provider: "moyasar",
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": type } }),
    isIdempotent: () => true,
  })(URL_);

describe("the returned response's body methods", () => {
  it("give what a Response over the same bytes gives", async () => {
    const form = "a=1&b=%C3%A9";
    const formType = "application/x-www-form-urlencoded";
    expect(await (await answer(form, formType)).text()).toBe(form);
    expect(await (await answer('{"id":"r1"}', "application/json")).json()).toEqual({ id: "r1" });
    const bytes = new Uint8Array([0xff, 0x00, 0x7b]);
    expect([...(await (await answer(bytes, "x/y")).bytes())]).toEqual([0xff, 0x00, 0x7b]);
    const buffer = await (await answer(bytes, "x/y")).arrayBuffer();
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(buffer)]).toEqual([0xff, 0x00, 0x7b]);
    const blob = await (await answer(bytes, "image/png")).blob();
    expect(blob.type).toBe("image/png");
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0xff, 0x00, 0x7b]);
    const data = await (await answer(form, formType)).formData();
    expect([...data.entries()]).toEqual([
      ["a", "1"],
      ["b", "é"],
    ]);
  });

  it("read once; a clone reads the same bytes, and changing one copy changes no other", async () => {
    const response = await answer(new Uint8Array([1, 2, 3]), "x/y");
    const clone = response.clone();
    const first = await response.bytes();
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
    first[0] = 9;
    expect([...(await clone.bytes())]).toEqual([1, 2, 3]);
  });

  it("a body stream of the bytes, read only when someone reads it", async () => {
    const response = await answer("hello", "text/plain");
    const stream = response.body;
    expect(response.bodyUsed).toBe(false);
    expect(await new Response(stream).text()).toBe("hello");
    expect(response.bodyUsed).toBe(true);
    const empty = await createResilientFetch({
      provider: "moyasar",
      fetch: async () => new Response(null, { status: 204 }),
      isIdempotent: () => true,
    })(URL_);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe("");
  });
});
