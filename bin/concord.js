#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// A CLI run is short and cold: V8's default budget re-optimises hot functions several times over in the first
// second. A 3x larger budget tiers up a little later and recompiles less: `concord diff` on a 4 MB pair took
// 0.89 -> 0.80 s median (bench/diff.mjs). Set before any of concord's code is loaded; only on V8 versions where the
// flag is known to exist (an unknown flag would print an error).
const v8Major = Number(process.versions.v8.split('.')[0]);
if (v8Major >= 10 && v8Major <= 13 && process.env.CONCORD_V8_DEFAULTS !== '1') setFlagsFromString('--interrupt-budget=200000');

const { main } = await import('../dist/src/cli/main.js');
main(process.argv);
