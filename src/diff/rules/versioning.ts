import type { DiffContext, Finding } from '../context.js';
import { decisionFor, inProfile, type Profile } from './registry.js';
import type { Bump, RequiredBump, VersionCheck } from '../types.js';

/** Versioning family: did `info.version` move as semver asks, given the changes found? */

type Semver = [number, number, number];

export function parseSemver(version: string): Semver | undefined {
  // Pre-release and build suffixes only after a full x.y.z, so a date like 2024-01-01 is not read as 2024.0.0.
  const match = /^v?(\d+)(?:\.(\d+)(?:\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?$/.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function bumpOf(from: string, to: string): Bump {
  const a = parseSemver(from);
  const b = parseSemver(to);
  if (!a || !b) return from === to ? 'none' : 'unknown';
  for (const [index, kind] of [[0, 'major'], [1, 'minor'], [2, 'patch']] as const) {
    if (b[index] > a[index]) return kind;
    if (b[index] < a[index]) return 'downgrade';
  }
  return 'none';
}

const RANK: Record<Bump, number> = { downgrade: -1, unknown: -1, none: 0, patch: 1, minor: 2, major: 3 };

/** What the changes ask for; in 0.x everything moves down one place (breaking in a minor, additions in a patch). */
export function requiredBump(findings: Finding[], baseVersion: string, profile: Profile = 'concord'): { required: RequiredBump; semverRequired: RequiredBump } {
  let semverRequired: RequiredBump = 'none';
  for (const finding of findings) {
    const level = decisionFor(finding.rule, finding.direction, profile).level;
    const need: RequiredBump = level === 'breaking' ? 'major' : level === 'warning' || finding.rule.additive ? 'minor' : 'patch';
    if (RANK[need] > RANK[semverRequired]) semverRequired = need;
  }
  const zero = parseSemver(baseVersion)?.[0] === 0;
  const required: RequiredBump = !zero ? semverRequired : semverRequired === 'major' ? 'minor' : semverRequired === 'minor' ? 'patch' : semverRequired;
  return { required, semverRequired };
}

export function checkVersioning(ctx: DiffContext): VersionCheck {
  const findings = ctx.findings().filter((finding) => finding.rule.family !== 'versioning' && inProfile(finding.rule, ctx.profile, finding.direction));
  const base = ctx.base.ir.version;
  const revision = ctx.revision.ir.version;
  const bump = bumpOf(base, revision);
  const { required, semverRequired } = requiredBump(findings, base, ctx.profile);
  const ok = bump === 'unknown' ? null : RANK[bump] >= RANK[required];
  if (bump === 'downgrade') ctx.emit('version-decreased', 'document', '`info.version`', `${base} -> ${revision} went down`, { base: '/info/version', revision: '/info/version' });
  if (ok === false) {
    const breaking = findings.filter((finding) => decisionFor(finding.rule, finding.direction, ctx.profile).level === 'breaking').length;
    const pointers = { base: '/info/version', revision: '/info/version' };
    const moved = bump === 'none' ? 'is unchanged' : bump === 'downgrade' ? 'went down' : `is only a ${bump} bump`;
    if (semverRequired === 'major') {
      ctx.emit('version-not-bumped-major', 'document', '`info.version`', `${base} -> ${revision} ${moved}, but ${breaking} breaking change${breaking === 1 ? ' needs' : 's need'} a ${required} bump`, pointers);
    } else if (semverRequired === 'minor') {
      ctx.emit('version-not-bumped-minor', 'document', '`info.version`', `${base} -> ${revision} ${moved}, but additions or possibly-breaking changes need a ${required} bump`, pointers);
    }
  }
  return { base, revision, bump, required, ok };
}
