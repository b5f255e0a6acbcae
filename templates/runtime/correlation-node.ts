/**
 * Node only: an ambient correlation id carried through async work with AsyncLocalStorage. Pass
 * `getAmbientCorrelationId` to the client config; calls made inside `withCorrelationId(id, fn)` inherit `id`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

export function withCorrelationId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

export function getAmbientCorrelationId(): string | undefined {
  return storage.getStore();
}
