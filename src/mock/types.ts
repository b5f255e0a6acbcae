/** Shapes shared by the mock engine, its HTTP adapter and the CLI. */

export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer> | undefined;
  /** A streaming answer: chunks written as they come (`body` is then undefined); throwing drops the connection. */
  stream?: AsyncIterable<string>;
}

/** One request as the mock saw it, for assertions in tests. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** Parsed JSON, text for other textual types, undefined without a body. */
  body: unknown;
  operationId: string | undefined;
  status: number;
  correlationId: string;
  /** True when the answer was an idempotent replay. */
  replayed: boolean;
  /** An injected fault: a status, `reset`, or undefined. */
  chaos: number | 'reset' | undefined;
}

/** The structured log line the CLI prints per request. */
export interface MockLogEntry {
  method: string;
  path: string;
  status: number;
  ms: number;
  correlationId: string;
  operationId?: string;
  chaos?: number | 'reset';
  replayed?: boolean;
}
