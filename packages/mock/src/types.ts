/** A provider the mock serves. */
export type MockProvider = "sezzle" | "optty" | "levelup" | "moyasar" | "briqpay";

/** Every provider the mock serves. */
export const MOCK_PROVIDERS: readonly MockProvider[] = [
  "sezzle",
  "optty",
  "levelup",
  "moyasar",
  "briqpay",
];

/** One base URL per provider, plus Optty's token host. */
export interface MockBaseUrls {
  sezzle: string;
  optty: string;
  opttyAuth: string;
  levelup: string;
  moyasar: string;
  briqpay: string;
}

/** Milliseconds since the epoch; the mock reads time only through this. */
export type Clock = () => number;

export function isMockProvider(value: unknown): value is MockProvider {
  return typeof value === "string" && (MOCK_PROVIDERS as readonly string[]).includes(value);
}
