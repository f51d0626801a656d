import { parseArgs } from "node:util";
import { runDemo } from "./demo.js";
import { runCapabilities, runRefund } from "./refund.js";
import { runMockServer } from "./serve.js";

/** The `refundkit --help` text: commands, refund options and the credential environment variables. */
export const usage = `refundkit: refund through Sezzle, Optty, LevelUp, MPG and Briqpay

Usage:
  refundkit demo                      run every provider's refund story against local mocks
  refundkit mock [--port N]           serve the mock providers on 127.0.0.1 until Ctrl-C
  refundkit refund --provider P --order ID [--amount N --currency C] [options]
                                      refund for real (credentials from REFUNDKIT_* env vars)
  refundkit capabilities [P]          what each provider supports

Refund options:
  --environment sandbox|production    which provider host to use (or --base-url URL)
  --idempotency-key K                 reuse to retry safely (generated when absent)
  --reason TEXT                       the refund's description
  --manager-confirmation CODE         LevelUp
  --transaction-id ID                 MPG
  --capture-id ID                     Briqpay
  --timeout-ms N  --max-retries N

Credentials (environment variables):
  REFUNDKIT_SEZZLE_TOKEN or REFUNDKIT_SEZZLE_PUBLIC_KEY + REFUNDKIT_SEZZLE_PRIVATE_KEY
  REFUNDKIT_OPTTY_TOKEN or REFUNDKIT_OPTTY_CLIENT_ID + REFUNDKIT_OPTTY_CLIENT_SECRET
  REFUNDKIT_LEVELUP_TOKEN   REFUNDKIT_MOYASAR_API_KEY
  REFUNDKIT_BRIQPAY_USERNAME + REFUNDKIT_BRIQPAY_SECRET
`;

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "demo":
      return runDemo();
    case "mock": {
      const { values } = parseArgs({ args: rest, options: { port: { type: "string" } } });
      return runMockServer({ port: values.port === undefined ? 0 : Number(values.port) });
    }
    case "refund":
      return runRefund(rest, env);
    case "capabilities":
      return runCapabilities(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(usage);
      return command === undefined ? 1 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${usage}`);
      return 1;
  }
}
