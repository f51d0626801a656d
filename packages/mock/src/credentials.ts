/** The credentials the mock accepts; anything else is refused with the provider's auth error. */
export interface MockCredentials {
  sezzle: { publicKey: string; privateKey: string };
  optty: { clientId: string; clientSecret: string };
  levelup: { token: string };
  moyasar: { apiKey: string };
  briqpay: { username: string; secret: string };
}

/** The credentials the mock accepts by default, per provider (test values, not secrets). */
export const mockCredentials: MockCredentials = Object.freeze({
  sezzle: Object.freeze({ publicKey: "sz_pub_mock", privateKey: "sz_pr_mock" }),
  optty: Object.freeze({ clientId: "optty-mock-client", clientSecret: "optty-mock-secret" }),
  levelup: Object.freeze({ token: "levelup-mock-token" }),
  moyasar: Object.freeze({ apiKey: "sk_test_mock" }),
  briqpay: Object.freeze({ username: "briqpay-mock-merchant", secret: "briqpay-mock-secret" }),
});

/** Credentials to accept instead of `mockCredentials`, any subset per provider. */
export type MockCredentialsInput = { [P in keyof MockCredentials]?: Partial<MockCredentials[P]> };

export function resolveCredentials(input: MockCredentialsInput | undefined): MockCredentials {
  return {
    sezzle: { ...mockCredentials.sezzle, ...input?.sezzle },
    optty: { ...mockCredentials.optty, ...input?.optty },
    levelup: { ...mockCredentials.levelup, ...input?.levelup },
    moyasar: { ...mockCredentials.moyasar, ...input?.moyasar },
    briqpay: { ...mockCredentials.briqpay, ...input?.briqpay },
  };
}
