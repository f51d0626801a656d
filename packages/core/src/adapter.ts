import { configError } from "./config.js";
import { createKeyMemory, type KeyMemory } from "./key-memory.js";
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
   * remembers the idempotency keys this connected adapter sent (see `claimKey`).
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
  /** The keys sent by this connected adapter, at most `DEFAULT_KEY_MEMORY` (least recent forgotten). */
  keys: KeyMemory;
  /**
   * The handles of refund calls in flight (`keyedCall` adds one when its call starts and removes
   * it when the call ends, so this holds only calls in flight), each `true` once an attempt of
   * that call failed without an answer (a timeout, a reset connection): that attempt may have
   * refunded, whatever a later attempt was answered.
   */
  uncertain: Map<string, boolean>;
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
      const context: AdapterContext = { keys: createKeyMemory(), uncertain: new Map() };
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
      return {
        provider,
        capabilities,
        async refund(request: Request) {
          if (request === null || typeof request !== "object") {
            throw configError(provider, "refund(request): request must be an object");
          }
          return definition.refund(client, request, context);
        },
      };
    },
  };
}
