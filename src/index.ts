/** Programmatic API. The CLI is a thin layer over these. */
export { defineConfig, type ConcordConfig, type SpecConfig } from './config/schema.js';
export { generate, generateInMemory, type GenerateOptions, type GenerateResult } from './generate.js';
export { loadSpec, type LoadedSpec } from './load/load.js';
export { buildIr } from './ir/build/document.js';
export type * from './ir/types.js';
export { ConcordError, ERROR_CODES, type ErrorCode } from './errors.js';
export { startMockServer, type MockServer, type MockServerOptions, type RecordedRequest } from './mock/index.js';
export { verifyProvider, CHECK_IDS, type CheckId, type VerifyFailure, type VerifyOptions, type VerifyReport } from './verify/index.js';
