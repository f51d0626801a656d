import { useMswServer } from "@refundkit/test-utils";
import { afterEach } from "vitest";
import { createMockHandlers, type MockOptions } from "../src/index.js";
import { wire } from "./helpers.js";

/** One msw server per test file, on the default (sandbox) base URLs. */
export function useMock(options: MockOptions = {}) {
  const mock = createMockHandlers(options);
  const server = useMswServer(...mock.handlers);
  afterEach(() => {
    mock.orders.reset();
    mock.faults.clear();
  });
  return { mock, server, client: wire(mock.baseUrls, mock.credentials) };
}
