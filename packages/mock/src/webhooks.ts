/**
 * The mock's refund webhooks, emitted when the ledger creates or settles a refund, for the
 * providers that document refund webhooks: Sezzle `order.refunded` (signed `Sezzle-Signature`,
 * HMAC-SHA256 of the body with the merchant private key,
 * https://docs.sezzle.com/docs/api/core/webhooks/infov2webhooks) and Briqpay `refund_status`
 * (unauthenticated, https://developer.briqpay.com/docs/3.0.0/api/refund-status; signed with
 * `x-briq-signature` when a hook is registered with a secret). Each event is kept in a list and
 * POSTed to every URL registered for its provider.
 */
import { createHmac } from "node:crypto";
import type { MockCredentials } from "./credentials.js";
import type { OrderState, RefundState } from "./ledger.js";
import { isoSeconds } from "./time.js";
import type { Clock } from "./types.js";

/** The providers with documented refund webhooks. */
export type MockWebhookProvider = "sezzle" | "briqpay";

/** The webhook faults the mock can inject: a forged or a duplicated delivery. */
export const MOCK_WEBHOOK_FAULTS = ["forged", "duplicated"] as const;
/**
 * `forged`: the next event is delivered with a signature made with the wrong key (Sezzle; Briqpay
 * hooks with a secret) and, for Briqpay, a status the session does not have. `duplicated`: the
 * next event is delivered twice, byte for byte.
 */
export type MockWebhookFault = (typeof MOCK_WEBHOOK_FAULTS)[number];

/** A URL that receives a provider's refund webhooks from the mock (`POST /__mock/hooks`). */
export interface MockHookRegistration {
  provider: MockWebhookProvider;
  url: string;
  /** Briqpay: the webhook signing secret (deliveries then carry `x-briq-signature`). */
  secret?: string;
}

/** One emitted delivery: exactly the headers and raw body a receiver gets. */
export interface MockWebhookEvent {
  provider: MockWebhookProvider;
  /** `order.refunded` or `refund_status`. */
  type: string;
  orderId: string;
  refundId: string;
  headers: Record<string, string>;
  /** The raw body (JSON text), as signed. */
  body: string;
  /** The fault applied to this delivery, if any. */
  fault: MockWebhookFault | null;
}

/** An HTTP delivery to a registered URL and how it went. */
export interface MockWebhookDelivery {
  url: string;
  event: MockWebhookEvent;
  /** The receiver's HTTP status; null when the POST failed (`error` says why). */
  status: number | null;
  error: string | null;
}

/** The mock's refund webhooks: emitted events, HTTP deliveries, registrations and faults. */
export interface MockWebhooks {
  /** Every event emitted so far, oldest first (a duplicated one appears twice). */
  events(): MockWebhookEvent[];
  /** HTTP deliveries made so far, oldest first. */
  deliveries(): MockWebhookDelivery[];
  /** POST this provider's events to `url` from now on. Throws TypeError for a bad registration. */
  register(registration: MockHookRegistration): void;
  /** The registrations made so far (`register` or `POST /__mock/hooks`). */
  hooks(): MockHookRegistration[];
  /** Applies `kind` to the next event of `provider`. */
  inject(fault: { provider: MockWebhookProvider; kind: MockWebhookFault }): void;
  /** Resolves once every delivery started so far has finished. */
  flush(): Promise<void>;
  /** Forgets events, deliveries, registrations and faults. */
  reset(): void;
}

/** Internal: the ledger's hook. */
export interface WebhookEmitter extends MockWebhooks {
  onRefundChange(order: OrderState, refund: RefundState, change: "created" | "settled"): void;
}

const WRONG_KEY = "not-the-merchant-key";

function hmac(key: string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function flipped(status: string): string {
  return status === "approved" ? "rejected" : "approved";
}

/**
 * An event as it happened: everything its delivery says is decided here (the time, the refund's
 * status then, the fault); the body and signature are written from it when first read.
 */
class Emitted {
  /** The delivery, once written. */
  event: MockWebhookEvent | undefined;

  constructor(
    readonly provider: MockWebhookProvider,
    readonly orderId: string,
    readonly refundId: string,
    readonly fault: MockWebhookFault | null,
    /** When it happened (ms since the epoch). */
    readonly at: number,
    /** The status it reports (Briqpay). */
    readonly status: string,
  ) {}
}

export function createWebhookEmitter(options: {
  clock: Clock;
  credentials: MockCredentials;
  /** Settles a refund whose time has come (the ledger's tick), for timed settlements. */
  tick: (order: OrderState) => void;
}): WebhookEmitter {
  const { clock, credentials } = options;
  let events: Emitted[] = [];
  let deliveries: MockWebhookDelivery[] = [];
  let registrations: MockHookRegistration[] = [];
  let faults: Array<{ provider: MockWebhookProvider; kind: MockWebhookFault }> = [];
  const inFlight = new Set<Promise<void>>();

  function takeFault(provider: MockWebhookProvider): MockWebhookFault | null {
    const index = faults.findIndex((fault) => fault.provider === provider);
    if (index < 0) return null;
    const [fault] = faults.splice(index, 1);
    return fault?.kind ?? null;
  }

  function deliver(registration: MockHookRegistration, event: MockWebhookEvent): void {
    const headers = { ...event.headers };
    if (registration.provider === "briqpay" && registration.secret !== undefined) {
      // x-briq-signature: t=<ms>,s1=<base64 HMAC-SHA256(secret, "<t>.<body>")>, as Briqpay's
      // connector verifies it (https://github.com/Briqpay-Extensions/connect-payment-integration-briqpay).
      const t = clock();
      const key = event.fault === "forged" ? WRONG_KEY : registration.secret;
      headers["x-briq-signature"] =
        `t=${t},s1=${hmac(key, `${t}.${event.body}`).toString("base64")}`;
    }
    const record: MockWebhookDelivery = { url: registration.url, event, status: null, error: null };
    deliveries.push(record);
    const sent = fetch(registration.url, { method: "POST", headers, body: event.body })
      .then(async (response) => {
        record.status = response.status;
        await response.body?.cancel();
      })
      .catch((error: unknown) => {
        record.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }

  function emit(emitted: Emitted): void {
    const copies = emitted.fault === "duplicated" ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      events.push(emitted);
      for (const registration of registrations) {
        if (registration.provider === emitted.provider) deliver(registration, eventOf(emitted));
      }
    }
  }

  /**
   * The event as a receiver gets it, written on first read (a delivery, `events()`, the admin
   * API) and kept: a refund nobody listens for costs no JSON, UUID or HMAC.
   */
  function eventOf(emitted: Emitted): MockWebhookEvent {
    if (emitted.event !== undefined) return emitted.event;
    const { provider, orderId, refundId, fault } = emitted;
    let event: MockWebhookEvent;
    if (provider === "sezzle") {
      const body = JSON.stringify({
        uuid: crypto.randomUUID(),
        created_at: isoSeconds(emitted.at),
        event: "order.refunded",
        data_type: "order",
        data: { uuid: orderId, source: "gateway" },
      });
      const key = fault === "forged" ? WRONG_KEY : credentials.sezzle.privateKey;
      const headers = {
        "content-type": "application/json",
        // Hex digest: Sezzle does not state the encoding; hex is what integrations compare.
        "sezzle-signature": hmac(key, body).toString("hex"),
      };
      event = { provider, type: "order.refunded", orderId, refundId, headers, body, fault };
    } else {
      const body = JSON.stringify({
        event: "refund_status",
        status: emitted.status,
        sessionId: orderId,
        refundId,
      });
      const headers = { "content-type": "application/json" };
      event = { provider, type: "refund_status", orderId, refundId, headers, body, fault };
    }
    emitted.event = event;
    return event;
  }

  function sezzleEvent(order: OrderState, refund: RefundState): void {
    const fault = takeFault("sezzle");
    emit(new Emitted("sezzle", order.id, refund.id, fault, clock(), refund.status));
  }

  function briqpayEvent(order: OrderState, refund: RefundState): void {
    const fault = takeFault("briqpay");
    const status = fault === "forged" ? flipped(refund.status) : refund.status;
    emit(new Emitted("briqpay", order.id, refund.id, fault, clock(), status));
  }

  return {
    onRefundChange(order, refund, change) {
      if (order.provider === "sezzle" && change === "created" && refund.status === "approved") {
        sezzleEvent(order, refund);
      }
      if (order.provider === "briqpay") {
        briqpayEvent(order, refund);
        if (change === "created" && refund.settlesAt !== null) {
          // A timed settlement happens when the ledger is next read; read it then, so the
          // settle event goes out on time. unref: never keeps a process alive.
          const timer = setTimeout(
            () => options.tick(order),
            Math.max(0, refund.settlesAt - clock()),
          );
          timer.unref?.();
        }
      }
    },
    events: () => events.map(eventOf),
    deliveries: () => deliveries.map((delivery) => ({ ...delivery })),
    register(registration) {
      if (registration?.provider !== "sezzle" && registration?.provider !== "briqpay") {
        throw new TypeError(
          'provider must be "sezzle" or "briqpay" (the documented refund webhooks)',
        );
      }
      let url: URL;
      try {
        url = new URL(registration.url);
      } catch {
        throw new TypeError("url must be an absolute http(s) URL");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new TypeError("url must be an absolute http(s) URL");
      }
      if (registration.secret !== undefined && typeof registration.secret !== "string") {
        throw new TypeError("secret must be a string");
      }
      registrations.push({
        provider: registration.provider,
        url: url.href,
        ...(registration.secret === undefined ? {} : { secret: registration.secret }),
      });
    },
    hooks: () => registrations.map((registration) => ({ ...registration })),
    inject(fault) {
      if (fault?.provider !== "sezzle" && fault?.provider !== "briqpay") {
        throw new TypeError('provider must be "sezzle" or "briqpay"');
      }
      if (!(MOCK_WEBHOOK_FAULTS as readonly string[]).includes(fault.kind)) {
        throw new TypeError(`kind must be one of ${MOCK_WEBHOOK_FAULTS.join(", ")}`);
      }
      faults.push({ provider: fault.provider, kind: fault.kind });
    },
    async flush() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    reset() {
      events = [];
      deliveries = [];
      registrations = [];
      faults = [];
    },
  };
}

/**
 * The HTTP admin routes for webhooks (the mock server's `/__mock/hooks`):
 * `POST /__mock/hooks {provider, url, secret?}` registers a URL; `GET /__mock/hooks` lists hooks,
 * events and deliveries; `POST /__mock/hooks/faults {provider, kind}` queues a fault;
 * `DELETE /__mock/hooks` forgets everything. Undefined: not a hooks route.
 */
export async function hooksAdmin(
  webhooks: MockWebhooks,
  path: string,
  method: string,
  body: unknown,
): Promise<{ status: number; body: unknown } | undefined> {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const listing = () => ({
    hooks: webhooks.hooks(),
    events: webhooks.events(),
    deliveries: webhooks.deliveries(),
  });
  if (path === "/__mock/hooks" && method === "POST") {
    webhooks.register(record as unknown as MockHookRegistration);
    return { status: 201, body: { hooks: webhooks.hooks() } };
  }
  if (path === "/__mock/hooks" && method === "GET") {
    await webhooks.flush();
    return { status: 200, body: listing() };
  }
  if (path === "/__mock/hooks" && method === "DELETE") {
    webhooks.reset();
    return { status: 200, body: listing() };
  }
  if (path === "/__mock/hooks/faults" && method === "POST") {
    webhooks.inject(record as unknown as { provider: MockWebhookProvider; kind: MockWebhookFault });
    return { status: 201, body: {} };
  }
  return undefined;
}
