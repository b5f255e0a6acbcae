import type { Command } from 'commander';
import type { CliContext } from './main.js';

export function registerDiff(_program: Command, _context: CliContext): void {
  // Filled in by the diff command.
}
