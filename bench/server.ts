/**
 * The local keep-alive HTTP server of bench/compare.ts, run in its own process so that its work
 * does not share the measuring process's event loop. Answers Sezzle's token and refund calls;
 * listens on 127.0.0.1 only, sends its port to the parent and exits with it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const token = JSON.stringify({ token: "tok", expiration_date: "2099-01-01T00:00:00Z" });
const refund = JSON.stringify({ uuid: "6c9db5d4-d09a-4224-9b5c-2d4e5f6a7b8c" });

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const body = request.url?.endsWith("/v2/authentication") ? token : refund;
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.((server.address() as AddressInfo).port);
});
process.on("disconnect", () => process.exit(0));
