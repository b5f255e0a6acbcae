import type { Level } from '../types.js';
import type { NotApplicable, RuleDecision } from './registry.js';

/** Builders and reasons shared by the rule tables (registry.ts and definitions-extra.ts). */
export const d = (level: Level, why: string): RuleDecision => ({ level, why });
export const na = (reason: string): NotApplicable => ({ notApplicable: reason });

export const ONLY_PARAMS = 'parameters are only ever sent by the client';
export const ONLY_CREDENTIALS = 'credentials travel only in requests; a response never carries a security requirement';
