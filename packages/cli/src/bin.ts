#!/usr/bin/env node
import { main } from "./program.js";

// `refundkit ... | head`: a closed pipe ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Not a RefundError or a usage error: a bug, reported as one line.
    console.error(
      `refundkit: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
