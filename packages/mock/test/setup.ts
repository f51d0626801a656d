import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createMockHandlers, type MockOptions } from "../src/index.js";
import { wire } from "./helpers.js";

/** One msw server per test file, on the default (sandbox) base URLs. */
export function useMock(options: MockOptions = {}) {
  const mock = createMockHandlers(options);
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    mock.orders.reset();
    mock.faults.clear();
  });
  afterAll(() => server.close());
  return { mock, server, client: wire(mock.baseUrls, mock.credentials) };
}
