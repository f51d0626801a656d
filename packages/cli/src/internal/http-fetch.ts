/**
 * The keep-alive `fetch` of `refundkit bulk`: core's node:http transport (the one refundkit's
 * clients use by default on Node), with the bulk run's own socket limit.
 */
export { createKeepAliveFetch } from "@refundkit/core/node";
