import type { RefundErrorCode } from "./errors.js";

export interface JsonBody {
  /** The body as text ("" when empty). */
  text: string;
  /** The parsed body; undefined when the body is empty or not JSON. */
  json: unknown | undefined;
}

/**
 * Reads a response body as text and parses it as JSON when it is JSON. Providers answer errors
 * with empty bodies (LevelUp's 404) or HTML from a proxy, so malformed or empty bodies are not
 * errors here; a body that fails to arrive (network, timeout) still rejects.
 */
export async function readJsonBody(response: Response): Promise<JsonBody> {
  const text = await response.text();
  if (text.trim() === "") return { text, json: undefined };
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    return { text, json: undefined };
  }
}

/** The default RefundError code for an HTTP error status; adapters refine it from error bodies. */
export function errorCodeForStatus(status: number): RefundErrorCode {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "authentication_failed";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "in_progress";
    case 422:
      return "declined";
    case 429:
      return "rate_limited";
    default:
      return "provider_error";
  }
}
