import { startMockServer } from "@refundkit/mock";
import { MOCK_LEVELUP_MERCHANT_ID, seedDemoOrders } from "./demo.js";
import { EXIT, reportFailure, UsageError } from "./internal/output.js";
import { integerOption } from "./refund.js";

export interface MockCommandOptions {
  port?: string;
  host?: string;
  seed?: string;
}

/** Shell lines that point `refundkit refund` / `refundkit bulk` at the mock. */
export function exportLines(server: Awaited<ReturnType<typeof startMockServer>>): string[] {
  const { baseUrls, credentials } = server;
  const line = (name: string, value: string) => `export REFUNDKIT_${name}=${value}`;
  return [
    line("SEZZLE_BASE_URL", baseUrls.sezzle),
    line("SEZZLE_PUBLIC_KEY", credentials.sezzle.publicKey),
    line("SEZZLE_PRIVATE_KEY", credentials.sezzle.privateKey),
    line("OPTTY_BASE_URL", baseUrls.optty),
    line("OPTTY_CLIENT_ID", credentials.optty.clientId),
    line("OPTTY_CLIENT_SECRET", credentials.optty.clientSecret),
    line("LEVELUP_BASE_URL", baseUrls.levelup),
    line("LEVELUP_TOKEN", credentials.levelup.token),
    // LevelUp's order lookup is per merchant (refunds.retrieve, and reconciling a LevelUp row a
    // `refundkit bulk` run left in flight); orders seeded without a merchant answer any id.
    line("LEVELUP_MERCHANT_ID", String(MOCK_LEVELUP_MERCHANT_ID)),
    line("MOYASAR_BASE_URL", baseUrls.moyasar),
    line("MOYASAR_API_KEY", credentials.moyasar.apiKey),
    line("BRIQPAY_BASE_URL", baseUrls.briqpay),
    line("BRIQPAY_USERNAME", credentials.briqpay.username),
    line("BRIQPAY_SECRET", credentials.briqpay.secret),
  ];
}

/**
 * `refundkit mock`: serves the mock providers until SIGINT or SIGTERM, then closes the server
 * (open connections included) and exits 0. Prints the base URLs, the admin API and `export`
 * lines for the mock's own test credentials (not secrets: they are documented constants).
 */
export async function runMockServer(options: MockCommandOptions): Promise<number> {
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    const port = integerOption(options.port ?? "0", "--port", 0) ?? 0;
    if (port > 65_535) throw new UsageError(`--port must be at most 65535; got ${port}`);
    const seed = options.seed ?? "none";
    if (seed !== "demo" && seed !== "none") {
      throw new UsageError(`--seed must be demo or none; got "${seed}"`);
    }
    server = await startMockServer({ port, host: options.host ?? "127.0.0.1" });
    if (seed === "demo") seedDemoOrders(server.orders);
  } catch (error) {
    if (
      error instanceof Error &&
      "code" in error &&
      typeof error.code === "string" &&
      error.code.startsWith("E")
    ) {
      // EADDRINUSE, EACCES, EADDRNOTAVAIL: the port or host cannot be used.
      return reportFailure(new UsageError(`cannot listen: ${error.message}`), false);
    }
    return reportFailure(error, false);
  }
  const out = process.stdout;
  out.write(`refundkit mock providers on ${server.url}\n\n`);
  out.write("Base URLs:\n");
  for (const [provider, url] of Object.entries(server.baseUrls)) {
    if (provider !== "opttyAuth") out.write(`  ${provider.padEnd(8)} ${url}\n`);
  }
  const seeded = server.orders.list();
  out.write(
    seeded.length === 0
      ? "\nOrders seeded: none (--seed demo adds the demo's orders; POST more to the admin API)\n"
      : `\nOrders seeded (${seeded.length}):\n`,
  );
  for (const order of seeded) {
    out.write(
      `  ${order.provider.padEnd(8)} ${order.id}  ${order.amount} ${order.currency} (minor units)\n`,
    );
  }
  out.write(
    `\nAdmin API: GET/POST/DELETE ${server.url}/__mock/orders (POST an array to seed many), POST ${server.url}/__mock/faults\n`,
  );
  out.write("\nPoint refundkit at it (mock credentials, not secrets):\n");
  out.write(`${exportLines(server).join("\n")}\n\nCtrl-C stops it.\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(name);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await server.close();
  process.stderr.write(`refundkit mock: ${signal}, stopped\n`);
  return EXIT.ok;
}
