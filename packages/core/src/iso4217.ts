// Generated from currency-codes (ISO 4217 data of 2024-06-25) by this package's iso4217 script. Do not edit.

/**
 * Every ISO 4217 code with a minor unit, sorted, grouped by first letter: a lower-case letter
 * starts the codes that begin with it, followed by the last two letters of each
 * ("aEDFN" is AED AFN). Read by money.ts.
 */
export const CODES =
  "aEDFNLLMDNGOARSUDWGZNbAMBDDTGNHDIFMDNDOBOVRLSDTNWPYNZDcADDFHEHFHWLFLPNYOPOURCUCUPVEZKdJFKKOPZDeGPRNTBURfJDKPgBPELHSIPMDNFTQYDhKDNLTGUFiDRLSNRQDRRSKjMDODPYkESGSHRMFPWRWWDYDZTlAKBPKRRDSLYDmADDLGAKDMKNTOPRUURVRWKXNXVYRZNnADGNIOOKPRZDoMRpABENGKHPKRLNYGqARrONSDUBWFsARBDCRDGEKGDHPLEOSRDSPTNVCYPZLtHBJSMTNDOPRYTDWDZSuAHGXSDSNYIYUYWZSvEDESNDUVwSTxAFCDOFPFyERzARMWWG";

/** The codes whose minor-unit exponent is not 2, by exponent, 3 letters each. */
export const EXPONENTS: Readonly<Record<number, string>> = {
  0: "BIFCLPDJFGNFISKJPYKMFKRWPYGRWFUGXUYIVNDVUVXAFXOFXPF",
  3: "BHDIQDJODKWDLYDOMRTND",
  4: "CLFUYW",
};

/** Codes ISO 4217 lists without a minor unit (metals, funds, testing), 3 letters each. */
export const NO_MINOR_UNIT = "XAGXAUXBAXBBXBCXBDXDRXPDXPTXSUXTSXUAXXX";
