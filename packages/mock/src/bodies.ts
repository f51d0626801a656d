/**
 * Reading requests and writing the answers every provider shares: JSON bodies that may be
 * absent or broken, bearer tokens, headers and the HTML error pages a proxy sends.
 */
import { HttpResponse } from "msw";

export type ParsedBody =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; text: string; error: string };

export async function readJsonBody(request: Request): Promise<ParsedBody> {
  const text = await request.text();
  if (text.trim() === "") return { kind: "none" };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: "invalid", text, error: error instanceof Error ? error.message : String(error) };
  }
}

export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer ([^\s]+)$/.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

export function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

export function htmlError(status: number, headers?: Record<string, string>): HttpResponse<string> {
  const reason =
    {
      409: "Conflict",
      429: "Too Many Requests",
      500: "Internal Server Error",
      502: "Bad Gateway",
      503: "Service Unavailable",
    }[status] ?? "Error";
  return new HttpResponse(
    `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center><hr><center>nginx</center></body></html>\n`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } },
  );
}
