import { describe, expect, it } from "vitest";
import { moyasarLifecycleCapabilities, moyasarLookup, moyasarWebhooks } from "../src/index.js";

describe("MPG lifecycle: nothing documented, nothing guessed", () => {
  it("retrieve and verify refuse with unsupported", async () => {
    expect(moyasarLifecycleCapabilities).toEqual({ retrieve: false, webhooks: "none" });
    const lookup = moyasarLookup.connect({ environment: "sandbox", apiKey: "sk_test" });
    await expect(lookup.retrieve("order-1")).rejects.toMatchObject({
      code: "unsupported",
      provider: "moyasar",
    });
    await expect(
      moyasarWebhooks.verify({ headers: {}, body: "{}" }, {} as never),
    ).rejects.toMatchObject({ code: "unsupported" });
  });
});
