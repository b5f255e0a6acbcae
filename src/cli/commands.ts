import type { Command } from 'commander';
import type { CliContext } from './main.js';
import { registerMock } from './mock.js';
import { registerDiff } from './diff.js';
import { registerDlq } from './dlq.js';
import { registerVerify } from './verify.js';

/** Commands beyond generate; each registers its options here and loads its engine only when it runs. */
export async function registerExtraCommands(program: Command, context: CliContext): Promise<void> {
  registerMock(program, context);
  registerDiff(program, context);
  registerDlq(program, context);
  registerVerify(program, context);
}
