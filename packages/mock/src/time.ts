/** Waits `ms` milliseconds (no wait for 0 or less): a seeded order's processing time. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The latest year `Date#toISOString` writes with four digits (later ones get `+0YYYYY`). */
const YEAR_10000 = 253_402_300_800_000;

/**
 * The text of a whole second, `2026-01-02T03:04:05`, for the two seconds asked last: a refund's
 * answer writes "now" and its order's creation time, and every answer in the same second shares
 * the first. Formatting a `Date` per timestamp was a visible part of a refund's CPU.
 */
const seconds: { at: number; text: string }[] = [
  { at: Number.NaN, text: "" },
  { at: Number.NaN, text: "" },
];

function secondText(second: number): string {
  const [last, before] = seconds as [{ at: number; text: string }, { at: number; text: string }];
  if (last.at === second) return last.text;
  if (before.at === second) return before.text;
  // Reuse the older slot: it becomes the latest.
  before.at = second;
  before.text = new Date(second * 1000).toISOString().slice(0, 19);
  seconds[0] = before;
  seconds[1] = last;
  return before.text;
}

/** Whether `ms` is a time the cached formatting writes exactly as `Date#toISOString` does. */
function plain(ms: number): boolean {
  return Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000;
}

/** `Date#toISOString` of `ms` (`2026-01-02T03:04:05.678Z`); throws a RangeError for NaN. */
export function isoMillis(ms: number): string {
  if (!plain(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  const milli = ms - second * 1000;
  return `${secondText(second)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

/** An ISO 8601 UTC timestamp to the second (`2026-01-02T03:04:05Z`). */
export function isoSeconds(ms: number): string {
  if (!plain(ms)) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return `${secondText(Math.floor(ms / 1000))}Z`;
}

let lastHttpDate = { at: Number.NaN, text: "" };

/** `Date#toUTCString` of `ms` (`Wed, 02 Jan 2026 03:04:05 GMT`, to the second), cached per second. */
export function httpDate(ms: number): string {
  if (!plain(ms)) return new Date(ms).toUTCString();
  const second = Math.floor(ms / 1000);
  if (lastHttpDate.at !== second) {
    lastHttpDate = { at: second, text: new Date(second * 1000).toUTCString() };
  }
  return lastHttpDate.text;
}
