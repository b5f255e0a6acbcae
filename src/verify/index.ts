/** `concord verify`: prove that a live provider honours the contract. */
export { verifyProvider, DEFAULTS as VERIFY_DEFAULTS } from './run.js';
export { formatText, type Paint } from './format/text.js';
export { formatJson, formatJunit, formatGithub } from './format/machine.js';
export { CHECK_IDS, type CheckId, type CheckTally, type OperationSummary, type ReportedRequest, type ReportedResponse, type VerifyFailure, type VerifyOptions, type VerifyReport } from './types.js';
