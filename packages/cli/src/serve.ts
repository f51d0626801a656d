import { startMockServer } from "@refundkit/mock";

/** Serves the mock providers until SIGINT/SIGTERM; prints where and with which test credentials. */
export async function runMockServer(options: { port: number }): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error("--port must be an integer between 0 and 65535");
    return 2;
  }
  const server = await startMockServer({ port: options.port });
  console.log(`refundkit mock providers on ${server.url}`);
  console.log(
    JSON.stringify({ baseUrls: server.baseUrls, credentials: server.credentials }, null, 2),
  );
  console.log(`admin: GET/POST ${server.url}/__mock/orders, POST ${server.url}/__mock/faults`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
