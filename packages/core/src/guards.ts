/**
 * The one "is this a JSON object?" check for provider answers and caller input: a non-null object
 * that is not an array. Narrowed to a record so fields can be read without casts.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
