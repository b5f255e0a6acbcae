import { afterAll, beforeAll } from 'vitest';
import type { RunningServer } from '../../../templates/runtime/server-node.js';
import { generateProvider, importGenerated, type Generated } from './harness.js';
import type { NodeModule, ServerModule } from './provider-types.js';

export interface ProviderUnderTest {
  /** The generated `server.ts` (createRouter, webhook receivers and senders). */
  readonly api: ServerModule;
  /** The generated `runtime/server-node.ts` (serveNode). */
  readonly node: NodeModule;
  /** Servers a test started; all are closed after the file's tests. */
  readonly servers: RunningServer[];
}

/** Generates the petstore provider once for the test file that calls this, and cleans it up after. */
export function useGeneratedProvider(): ProviderUnderTest {
  let generated: Generated | undefined;
  let api: ServerModule | undefined;
  let node: NodeModule | undefined;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    generated = await generateProvider();
    api = await importGenerated<ServerModule>(generated.dir, 'server.ts');
    node = await importGenerated<NodeModule>(generated.dir, 'runtime/server-node.ts');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await generated?.remove();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the generated provider is read before beforeAll generated it');
    return value;
  };
  return {
    get api() {
      return ready(api);
    },
    get node() {
      return ready(node);
    },
    servers,
  };
}
