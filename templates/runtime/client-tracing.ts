/**
 * The OpenTelemetry plug-in of the client: a CLIENT span per call with an event per attempt, whose context goes
 * out as `traceparent` so the server's span is its child. Off with `tracing: false`; an API object is used as
 * given; otherwise `@opentelemetry/api` is used when installed.
 */
import { parseTraceparent } from './correlation.js';
import type { CallScope, TracingPlugin } from './plugins.js';
import { resolveTracing, startClientSpan, type TracingOption } from './tracing.js';

export function openTelemetry(option: unknown): TracingPlugin | undefined {
  if (option === false) return undefined;
  const api = resolveTracing(option as TracingOption);
  return {
    async start(call): Promise<CallScope | undefined> {
      const resolved = await api;
      if (resolved === undefined) return undefined;
      // A traceparent the caller set (forwarding an incoming request) is the span's parent.
      const span = startClientSpan(resolved, call.operationId, call.method, call.url, call.headers.get('traceparent'));
      if (!span.recording) {
        span.end(undefined);
        return undefined;
      }
      const parsed = parseTraceparent(span.traceparent);
      if (parsed === undefined)
        return {
          observe: (event) => span.observe(event),
          end: (r, e) => span.end(r, e),
        };
      call.headers.set('traceparent', span.traceparent);
      return {
        parentSpanId: parsed.parentId,
        observe: (event) => span.observe(event),
        end: (r, e) => span.end(r, e),
      };
    },
  };
}
