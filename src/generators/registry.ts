import type { IrDocument } from '../ir/types.js';
import type { AlertOptions } from './alerts/rules.js';

export type Target = 'types' | 'zod' | 'client' | 'node' | 'mock' | 'server' | 'msw' | 'alerts';
export const ALL_TARGETS: readonly Target[] = ['types', 'zod', 'client', 'node', 'mock', 'server', 'msw', 'alerts'];
export const DEFAULT_TARGETS: readonly Target[] = ['types', 'zod', 'client'];

/** What a generator sees: the IR and the build's settings, never the loaded document (see `IrDocument`). */
export interface GeneratorContext {
  ir: IrDocument;
  targets: ReadonlySet<Target>;
  /** Per-target settings from the config file. */
  options?: { alerts?: AlertOptions; splitThreshold?: number };
}

export interface GeneratorOutput {
  /** Paths relative to the output directory. */
  files: Array<{ path: string; content: string }>;
  /** Runtime template files (under templates/runtime) the files import; their own imports are followed. */
  runtime: string[];
  /** Lines for index.ts. */
  exports: string[];
}

export type Generator = (context: GeneratorContext) => Promise<GeneratorOutput> | GeneratorOutput;

/** Targets that need others: the validators import the types, the client and the server import the validators. */
export const TARGET_DEPENDENCIES: Record<Target, Target[]> = {
  types: [],
  zod: ['types'],
  client: ['zod'],
  node: ['client'],
  mock: ['zod', 'client'],
  server: ['zod'],
  msw: ['zod'],
  alerts: [],
};

/** Loaded lazily so `concord --help` does not pay for every generator. */
export async function loadGenerator(target: Target): Promise<Generator> {
  switch (target) {
    case 'types':
      return (await import('./types/index.js')).typesGenerator;
    case 'zod':
      return (await import('./zod/index.js')).zodGenerator;
    case 'client':
      return (await import('./client/index.js')).clientGenerator;
    case 'node':
      return (await import('./client/node.js')).nodeGenerator;
    case 'mock':
      return (await import('./mock/index.js')).mockGenerator;
    case 'server':
      return (await import('./server/index.js')).serverGenerator;
    case 'msw':
      return (await import('./msw/index.js')).mswGenerator;
    case 'alerts':
      return (await import('./alerts/index.js')).alertsGenerator;
  }
}
