/**
 * The mock's answers: `Response`s whose status, header fields and body bytes are fixed when the
 * answer is built.
 *
 * msw's `HttpResponse.json` builds its answer through a `Blob` (to count the bytes) and a body
 * stream, and every reader of that answer (the idempotency store keeping a copy, the HTTP server
 * writing it out) then reads the stream back. Here the JSON text is encoded once; the body
 * methods (`text()`, `json()`, `arrayBuffer()`, `clone()`...) are served from those bytes by
 * core's `mixinBytesBody`, and `body`, a stream of them, is built only when someone asks for it
 * (msw's interceptors do, in `setupServer`). The mock's HTTP server writes `wire()` to the socket
 * as it is (the body as the text it was encoded from, when there is one), and the idempotency
 * store keeps the same bytes to replay.
 *
 * An answer is read at most once, like any `Response` (`clone()` first to read it twice); its
 * bytes are never changed (readers get copies), so replays and clones share them.
 *
 * A `MockAnswer` extends `Response` itself, not msw's `HttpResponse`: msw reads a handler's answer
 * as a plain `Response` (status, headers, body), and `HttpResponse`'s constructor (headers copied
 * twice, status text looked up) cost more than the rest of building an answer. Its only extras,
 * a `Set-Cookie` record and a default content type flag, are for answers the mock never gives.
 */
import { Buffer } from "node:buffer";
import { bytesBodyForClone, mixinBytesBody, setBytesBody } from "@refundkit/core/internal";

/** Header fields by name (lower case), as sent: `content-type`, `content-length`, `retry-after`... */
export type AnswerFields = Readonly<Record<string, string>>;

/** What an answer puts on the wire: its status, header fields and body bytes. */
export interface AnswerWire {
  status: number;
  fields: AnswerFields;
  /** null: no body (`content-length: 0`). */
  bytes: Uint8Array | null;
}

/**
 * `text` as UTF-8 bytes: `TextEncoder#encode`'s result, made by node:buffer (several times
 * cheaper on Node 20) and handed out as a plain `Uint8Array` over the same memory.
 */
function utf8(text: string): Uint8Array {
  const buffer = Buffer.from(text, "utf8");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The reason phrases of the statuses the mock answers (RFC 9110 section 15), as msw gives them. */
const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** `Not Found` for 404; "" for a status the mock does not answer. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "";
}

/** A `Response` built from its wire form; see the module. */
export class MockAnswer extends Response {
  readonly #fields: AnswerFields;
  #headers: Headers | undefined;
  /** The body as the text its bytes were encoded from, when it was built from text. */
  readonly #text: string | undefined;

  /**
   * `fields` are kept as given (not copied): pass an object that nothing changes afterwards.
   * `text`, when given, is what `wire.bytes` encode (UTF-8).
   */
  constructor(wire: AnswerWire, text?: string) {
    super(null, { status: wire.status, statusText: reasonPhrase(wire.status) });
    setBytesBody(this, wire.bytes);
    this.#fields = wire.fields;
    this.#text = text;
  }

  /** Built on first use from the fields (the HTTP server writes the fields without it). */
  override get headers(): Headers {
    // Read while `super()` runs (msw's interceptors wrap the Response constructor and look at
    // the headers it was given): the fields are not set yet, and those headers are empty.
    if (!(#fields in this)) return super.headers;
    this.#headers ??= new Headers(this.#fields as Record<string, string>);
    return this.#headers;
  }

  /**
   * The answer as the HTTP server writes it (its headers as they are now, if someone read and
   * changed them); undefined once the body was read.
   */
  wire(): AnswerWire | undefined {
    if (this.bodyUsed) return undefined;
    return { status: this.status, fields: this.#currentFields(), bytes: bytesBodyForClone(this) };
  }

  /**
   * The body as the text it was built from, while unread: what the HTTP server writes (a string
   * goes out in one write with the header, bytes in a second; measured about 10 us a request
   * cheaper). Undefined for an answer built from bytes, or once the body was read.
   */
  bodyText(): string | undefined {
    return this.bodyUsed ? undefined : this.#text;
  }

  override clone(): MockAnswer {
    return new MockAnswer(
      { status: this.status, fields: this.#currentFields(), bytes: bytesBodyForClone(this) },
      this.#text,
    );
  }

  #currentFields(): AnswerFields {
    return this.#headers === undefined ? this.#fields : Object.fromEntries(this.#headers);
  }
}
mixinBytesBody(MockAnswer.prototype);

/** An answer with this text as its body, typed `contentType`, `content-length` counted. */
export function textAnswer(
  text: string,
  status: number,
  contentType: string,
  headers?: Readonly<Record<string, string>>,
): MockAnswer {
  const bytes = utf8(text);
  return new MockAnswer(
    {
      status,
      fields: fieldsOf(headers, contentType, bytes.byteLength),
      bytes: bytes.byteLength === 0 ? null : bytes,
    },
    text,
  );
}

/**
 * `body` as JSON (`content-type: application/json`, `content-length` counted), what msw's
 * `HttpResponse.json(body, { status, headers })` answers.
 */
export function jsonAnswer(
  body: unknown,
  status = 200,
  headers?: Readonly<Record<string, string>>,
): MockAnswer {
  return textAnswer(JSON.stringify(body) ?? "", status, "application/json", headers);
}

/** No body (`content-length: 0`), as openapi-msw's `response(status).empty()` answers. */
export function emptyAnswer(
  status: number,
  headers?: Readonly<Record<string, string>>,
): MockAnswer {
  return new MockAnswer({ status, fields: fieldsOf(headers, undefined, 0), bytes: null });
}

function fieldsOf(
  headers: Readonly<Record<string, string>> | undefined,
  contentType: string | undefined,
  length: number,
): AnswerFields {
  const fields: Record<string, string> = {};
  if (contentType !== undefined) fields["content-type"] = contentType;
  if (headers !== undefined) {
    for (const [name, value] of Object.entries(headers)) fields[name.toLowerCase()] = value;
  }
  fields["content-length"] = String(length);
  return fields;
}
