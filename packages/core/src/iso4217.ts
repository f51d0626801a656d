// Generated from currency-codes (ISO 4217 data of 2024-06-25) by this package's iso4217 script. Do not edit.

/**
 * Every ISO 4217 code with a minor unit, sorted, grouped by first letter: a lower-case letter
 * starts the codes that begin with it, followed by the last two letters of each, then its
 * minor-unit exponent when that is not 2 ("aEDFN" is AED AFN; "bHD3IF0" is BHD 3, BIF 0).
 * Read by money.ts.
 */
export const CODES =
  "aEDFNLLMDNGOARSUDWGZNbAMBDDTGNHD3IF0MDNDOBOVRLSDTNWPYNZDcADDFHEHFHWLF4LP0NYOPOURCUCUPVEZKdJF0KKOPZDeGPRNTBURfJDKPgBPELHSIPMDNF0TQYDhKDNLTGUFiDRLSNRQD3RRSK0jMDOD3PY0kESGSHRMF0PWRW0WD3YDZTlAKBPKRRDSLYD3mADDLGAKDMKNTOPRUURVRWKXNXVYRZNnADGNIOOKPRZDoMR3pABENGKHPKRLNYG0qARrONSDUBWF0sARBDCRDGEKGDHPLEOSRDSPTNVCYPZLtHBJSMTND3OPRYTDWDZSuAHGX0SDSNYI0YUYW4ZSvEDESND0UV0wSTxAF0CDOF0PF0yERzARMWWG";

/** Codes ISO 4217 lists without a minor unit (metals, funds, testing), separated by spaces. */
export const NO_MINOR_UNIT = "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX";
