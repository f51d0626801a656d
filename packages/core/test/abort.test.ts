/**
 * One attempt's abort state (abort.ts): what the transport relies on to end an attempt on time
 * whatever the fetch does with its signal, and to free a connection nobody will read.
 */
import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { Attempt, abortableSleep, raceAbort } from "../src/abort.js";

const cancellable = () => {
  const cancel = vi.fn();
  const response = new Response(new ReadableStream({ cancel }));
  return { response, cancel };
};

describe("Attempt", () => {
  it("race settles with the promise, or rejects at fail with the reason", async () => {
    const attempt = new Attempt();
    expect(await attempt.race(Promise.resolve(1))).toBe(1);
    await expect(attempt.race(Promise.reject(new Error("no")))).rejects.toThrow("no");
    const pending = attempt.race(new Promise(() => {}));
    const onFail = vi.fn();
    attempt.onFail = onFail;
    const reason = new Error("timed out");
    attempt.fail(reason);
    attempt.fail(new Error("second"));
    await expect(pending).rejects.toBe(reason);
    expect(onFail).toHaveBeenCalledOnce();
    expect(attempt.aborted).toBe(true);
    expect(attempt.reason).toBe(reason);
    // A signal asked for after the failure is already aborted with its reason.
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(reason);
    await expect(attempt.race(Promise.resolve(2))).rejects.toBe(reason);
  });

  it("aborts the signal a fetch read, and discards a response that arrives too late", async () => {
    const attempt = new Attempt();
    const signal = attempt.signal;
    const late = cancellable();
    let answer: (response: Response) => void = () => {};
    const raced = attempt.race(new Promise<Response>((resolve) => (answer = resolve)));
    attempt.fail(new Error("timed out"));
    expect(signal.aborted).toBe(true);
    await expect(raced).rejects.toThrow("timed out");
    answer(late.response);
    await vi.waitFor(() => expect(late.cancel).toHaveBeenCalledOnce());
    // Raced after the failure: discarded as well.
    const after = cancellable();
    await expect(attempt.race(Promise.resolve(after.response))).rejects.toThrow("timed out");
    await vi.waitFor(() => expect(after.cancel).toHaveBeenCalledOnce());
  });
});

describe("raceAbort and abortableSleep", () => {
  it("end at the signal's abort with its reason and leave no listener", async () => {
    const controller = new AbortController();
    const sleeping = raceAbort(abortableSleep(60_000, controller.signal), controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(2);
    controller.abort(new Error("shutdown"));
    await expect(sleeping).rejects.toThrow("shutdown");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const done = new AbortController();
    await raceAbort(abortableSleep(1, done.signal), done.signal);
    expect(getEventListeners(done.signal, "abort")).toHaveLength(0);
    await expect(abortableSleep(1, controller.signal)).rejects.toThrow("shutdown");
  });
});
