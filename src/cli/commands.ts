import type { Command } from 'commander';
import type { CliContext } from './main.js';

/** Commands beyond generate; each module registers itself and loads its engine only when run. */
export async function registerExtraCommands(_program: Command, _context: CliContext): Promise<void> {
  // mock, diff, dlq register here.
}
