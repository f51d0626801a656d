/** Waits `ms` milliseconds (no wait for 0 or less): a seeded order's processing time. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** An ISO 8601 UTC timestamp to the second (`2026-01-02T03:04:05Z`). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
