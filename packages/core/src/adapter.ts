import { configError } from "./config.js";
import { refusal } from "./errors.js";
import type { KeyMemory } from "./key-memory.js";
import { observeUnanswered } from "./resilient-fetch.js";
import type {
  BaseRefundRequest,
  Capabilities,
  ProviderAdapter,
  ProviderName,
  RefundAdapter,
  RefundResult,
  TransportOptions,
} from "./types.js";

/** What a provider package writes; `defineAdapter` adds the plumbing every adapter shares. */
export interface AdapterDefinition<
  P extends ProviderName,
  Config,
  Request extends BaseRefundRequest,
  Client,
> {
  provider: P;
  capabilities: Capabilities;
  /** The provider's client for a config and the shared transport options (built once). */
  createClient(options: Config & TransportOptions): Client;
  /**
   * One refund through that client: validate before sending, send, map the answer. `context.keys`
   * remembers the idempotency keys this connected adapter sent (see `claimKey`). Validate
   * synchronously, before the first await (a plain function returning the send's promise, not an
   * `async` one): a refused request then throws synchronously and the facade settles it without
   * another promise layer (`startRefund`). An `async` refund works too, only slower to refuse.
   */
  refund(client: Client, request: Request, context: AdapterContext): Promise<RefundResult<P>>;
  /**
   * The idempotency handle an outgoing request carries (a `Sezzle-Request-Id` header, a body
   * field), or null (token calls). `request` is the request as the client built it (read its
   * headers), `body` its body as sent, as text (null when none): read the body there, not from
   * `request`. Given by providers with a handle: every attempt that fails without
   * an answer (it may have reached the provider) is then noted in `context.uncertain`. Called only
   * for such an attempt, never on the way out, so it costs nothing per refund.
   */
  handleOf?(request: globalThis.Request, body: string | null): string | null;
}

/** What `defineAdapter` keeps per connected adapter and hands to each refund. */
export interface AdapterContext {
  /**
   * The keys sent by this connected adapter, at most `DEFAULT_KEY_MEMORY` (least recent
   * forgotten). Created by `keyedCall` on the first keyed refund, so that an adapter without an
   * idempotency handle (LevelUp, Briqpay) neither holds nor bundles the key memory.
   */
  keys?: KeyMemory;
  /**
   * The handles of refund calls in flight (`keyedCall` adds one when its call starts and removes
   * it when the call ends, so this holds only calls in flight), each `true` once an attempt of
   * that call failed without an answer (a timeout, a reset connection): that attempt may have
   * refunded, whatever a later attempt was answered.
   */
  uncertain: Map<string, boolean>;
}

const RESOLVED = Promise.resolve();

/**
 * A promise rejected with `error` one microtask from now, once the caller has attached its
 * handler (`await`, `.catch`). Node keeps books on every promise rejected while it has no handler
 * (its unhandled-rejection tracking, about 1 us on Node 20, half the budget of a refusal), which
 * `Promise.reject(error)` always is; this one is not, when the caller handles it at once. A caller
 * that never handles it still gets Node's unhandled-rejection report.
 */
export function rejectSoon(error: unknown): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    RESOLVED.then(() => reject(error));
  });
}

/** The connected adapter's `start` (see `startRefund`); not enumerable, not public. */
const START = Symbol("refundkit.startRefund");

/**
 * Starts `adapter.refund(request)` for the facade: the refund's promise, or, for an adapter made
 * by `defineAdapter` whose provider refund validates before its first await, a synchronous throw
 * of the RefundError refusing the request before anything was sent. That lets the facade settle a
 * refusal without another promise layer (issue 8: under 2 us). Any other adapter: its `refund`.
 */
export function startRefund<P extends ProviderName, Request extends BaseRefundRequest>(
  adapter: RefundAdapter<P, Request>,
  request: Request,
): Promise<RefundResult<P>> {
  const start = (adapter as { [START]?: (request: Request) => Promise<RefundResult<P>> })[START];
  return start === undefined ? adapter.refund(request) : start(request);
}

/**
 * A ProviderAdapter from a provider's client factory and refund function: `connect` checks the
 * config is an object and builds the client once; `refund` refuses a non-object request.
 */
export function defineAdapter<
  P extends ProviderName,
  Config,
  Request extends BaseRefundRequest,
  Client,
>(definition: AdapterDefinition<P, Config, Request, Client>): ProviderAdapter<P, Config, Request> {
  const { provider, capabilities } = definition;
  return {
    provider,
    capabilities,
    connect(config: Config, options: TransportOptions = {}): RefundAdapter<P, Request> {
      if (config === null || typeof config !== "object") {
        throw configError(provider, "config must be an object");
      }
      const context: AdapterContext = { uncertain: new Map() };
      const { handleOf } = definition;
      const given = options.fetch;
      // The resilient fetch calls this for each attempt that failed without an answer (a timeout,
      // a reset connection, the caller's abort; not a connection that never opened): it sees
      // every attempt (retries, the resend after a 401, token calls), with the body it kept, so
      // nothing is built or read on the way out. Only for a call still in flight.
      const fetch =
        handleOf === undefined
          ? given
          : observeUnanswered(given, (request, body) => {
              const handle = handleOf(request, body);
              if (handle !== null && context.uncertain.has(handle)) {
                context.uncertain.set(handle, true);
              }
            });
      const client = definition.createClient({
        ...config,
        ...options,
        ...(fetch === undefined ? {} : { fetch }),
      });
      // Validation runs synchronously in the provider's refund (before its first await): a
      // refused request throws here, and `refund` turns that into a rejection.
      const start = (request: Request): Promise<RefundResult<P>> => {
        if (request === null || typeof request !== "object") {
          throw refusal(provider, "invalid_request", "refund(request): request must be an object");
        }
        return definition.refund(client, request, context);
      };
      const connected: RefundAdapter<P, Request> = {
        provider,
        capabilities,
        refund(request: Request) {
          try {
            return start(request);
          } catch (error) {
            return rejectSoon(error);
          }
        },
      };
      Object.defineProperty(connected, START, { value: start });
      return connected;
    },
  };
}
