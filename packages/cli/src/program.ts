import { Command, CommanderError, Option } from "commander";
// Inlined by the build: `refundkit --version` prints its `version`.
import cliPackage from "../package.json" with { type: "json" };
import type { BulkOptions } from "./bulk/run.js";
import { EXIT } from "./internal/output.js";
import type { RefundOptions } from "./refund.js";
import type { StatusOptions } from "./status.js";

const CREDENTIALS_HELP = `
Credentials and hosts (environment variables, or a .env file in the current directory;
never printed):
  REFUNDKIT_SEZZLE_TOKEN, or REFUNDKIT_SEZZLE_PUBLIC_KEY + REFUNDKIT_SEZZLE_PRIVATE_KEY
  REFUNDKIT_OPTTY_TOKEN, or REFUNDKIT_OPTTY_CLIENT_ID + REFUNDKIT_OPTTY_CLIENT_SECRET
    (+ REFUNDKIT_OPTTY_AUTH_URL: the token server, when a base URL is set and it is elsewhere)
  REFUNDKIT_LEVELUP_TOKEN (+ REFUNDKIT_LEVELUP_MERCHANT_ID for status)
  REFUNDKIT_MOYASAR_API_KEY
  REFUNDKIT_BRIQPAY_USERNAME + REFUNDKIT_BRIQPAY_SECRET
  REFUNDKIT_ENVIRONMENT=sandbox|production, or REFUNDKIT_<PROVIDER>_BASE_URL per provider
  (\`refundkit mock\` prints these lines for the local mock providers)`;

const EXIT_HELP = `
Exit codes: 0 done, 1 a refund failed or needs a look, 2 bad usage or bad input (nothing sent).`;

/**
 * The `refundkit` command line. Each action stores its exit code in `exit.code`; commander's own
 * errors (unknown option, missing argument) are exit 2 and --help is exit 0.
 */
export function createProgram(env: NodeJS.ProcessEnv, exit: { code: number }): Command {
  const program = new Command("refundkit")
    .description(
      "Refund through Sezzle, Optty, LevelUp, Moyasar Payment Gateway (MPG) and Briqpay.",
    )
    .version(cliPackage.version, "-v, --version", "print the version of refundkit and stop")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    })
    .addHelpText("after", `${CREDENTIALS_HELP}\n${EXIT_HELP}`);

  program
    .command("demo")
    .description("run every provider's refund story against local mock providers over HTTP")
    .action(async () => {
      // Loaded on use: the mock (msw, the specs) is not needed to refund, so `refund` and
      // `bulk` start faster and smaller without it.
      const { runDemo } = await import("./demo.js");
      exit.code = await runDemo();
    });

  program
    .command("mock")
    .description("serve the mock providers over HTTP until Ctrl-C (SIGINT) or SIGTERM")
    .option("--port <n>", "port to listen on (0: any free port)", "0")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .addOption(
      new Option("--seed <set>", "orders to start with: demo (the demo's orders) or none")
        .choices(["demo", "none"])
        .default("none"),
    )
    .action(async (options: { port: string; host: string; seed: string }) => {
      const { runMockServer } = await import("./serve.js");
      exit.code = await runMockServer(options);
    });

  program
    .command("refund")
    .description("refund one order; amounts in major units as you type them (12.34 USD, 500 JPY)")
    .requiredOption("--provider <name>", "sezzle, optty, levelup, moyasar or briqpay")
    .requiredOption("--order <id>", "the provider's order id (Briqpay: the session id)")
    .option(
      "--amount <major>",
      "amount in major units (24.98); omit for a full refund where the provider has one",
    )
    .option("--currency <code>", "ISO 4217 code, required with --amount (USD, JPY, KWD)")
    .option("--environment <env>", "sandbox or production (or REFUNDKIT_ENVIRONMENT)")
    .option("--base-url <url>", "the provider's API base URL (or REFUNDKIT_<PROVIDER>_BASE_URL)")
    .option("--idempotency-key <key>", "reuse to retry safely (generated when absent)")
    .option("--reason <text>", "the refund's description")
    .option("--manager-confirmation <code>", "LevelUp: the manager's confirmation code")
    .option("--transaction-id <id>", "MPG: the refund's transaction_id")
    .option("--capture-id <id>", "Briqpay: the capture to refund")
    .option("--timeout-ms <n>", "time limit per attempt (default 30000)")
    .option("--max-retries <n>", "retries where they cannot refund twice (default 2)")
    .option("--json", "print the result (or the error) as JSON")
    .addHelpText("after", `${CREDENTIALS_HELP}\n${EXIT_HELP}`)
    .action(async (options: RefundOptions) => {
      const { runRefund } = await import("./refund.js");
      exit.code = await runRefund(options, env);
    });

  program
    .command("bulk")
    .description(
      "refund every row of a CSV, exactly once even across a crash (a journal beside the file)",
    )
    .argument(
      "<file.csv>",
      "header provider,order_id,amount,currency,reason (+ optional idempotency_key, manager_confirmation, transaction_id, capture_id)",
    )
    .option("--concurrency <n>", "requests at once, overall", "8")
    .option("--per-provider <n>", "requests at once per provider (default: --concurrency)")
    .option("--dry-run", "validate every row and report the bad ones; send nothing")
    .option("--skip-invalid", "refund the valid rows even when some are invalid")
    .option("--json", "one JSON object per row (and a summary) on stdout")
    .option("--timeout-ms <n>", "time limit per attempt (default 30000)")
    .option("--max-retries <n>", "retries where they cannot refund twice (default 2)")
    .addHelpText(
      "after",
      `
Amounts are major units as a person types them (24.98 USD, 500 JPY, 1.250 KWD), converted exactly
with the currency's ISO 4217 exponent; an empty amount is a full refund.
Writes <name>.journal.jsonl (each row's idempotency key, on disk before its request is sent) and
<name>.results.csv (every row with its status) beside the CSV. After a crash, run the same command
again: finished rows are skipped, rows in flight are sent again with the same idempotency key, and
rows of providers without one (LevelUp, Briqpay) are reconciled or reported as needs_review,
never sent twice.
${CREDENTIALS_HELP}
${EXIT_HELP}`,
    )
    .action(async (file: string, options: BulkOptions) => {
      const { runBulk } = await import("./bulk/run.js");
      exit.code = await runBulk(file, options, env);
    });

  program
    .command("status")
    .description("an order's refunds as the provider reports them now (pending, succeeded, failed)")
    .argument("<provider>", "sezzle, optty, levelup or briqpay (MPG documents no lookup)")
    .argument("<orderId>", "the provider's order id (Briqpay: the session id)")
    .option("--json", "print the whole lookup as JSON")
    .option("--environment <env>", "sandbox or production (or REFUNDKIT_ENVIRONMENT)")
    .option("--base-url <url>", "the provider's API base URL (or REFUNDKIT_<PROVIDER>_BASE_URL)")
    .option("--merchant-id <id>", "LevelUp: the merchant id (or REFUNDKIT_LEVELUP_MERCHANT_ID)")
    .addHelpText("after", `${CREDENTIALS_HELP}\n${EXIT_HELP}`)
    .action(async (provider: string, orderId: string, options: StatusOptions) => {
      const { runStatus } = await import("./status.js");
      exit.code = await runStatus(provider, orderId, options, env);
    });

  program
    .command("capabilities")
    .description("what each provider supports")
    .argument("[provider]", "one provider (default: all)")
    .option("--json", "print JSON instead of a table")
    .action(async (provider: string | undefined, options: { json?: boolean }) => {
      const { runCapabilities } = await import("./refund.js");
      exit.code = runCapabilities(provider, options);
    });

  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const exit = { code: EXIT.ok as number };
  const program = createProgram(env, exit);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version print and stop: success. Anything else is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
}
