import type { Command } from 'commander';
import type { CliContext } from './main.js';

export function registerDlq(_program: Command, _context: CliContext): void {
  // Filled in by the dlq command.
}
