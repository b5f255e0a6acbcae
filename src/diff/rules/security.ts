import type { IrOperation, IrSecurityRequirement, IrSecurityScheme } from '../../ir/types.js';
import { stableStringify } from '../../load/stable-stringify.js';
import { attribute, type DiffContext, type Finding, type Side } from '../context.js';

/**
 * Security family: request-only. Schemes are compared by what they make a client send, so renaming a scheme's key
 * is no change; an operation's requirements are alternatives (any one suffices), an empty list meaning anonymous.
 */

function schemeOf(side: Side, key: string): IrSecurityScheme | undefined {
  return side.ir.securitySchemes.find((scheme) => scheme.key === key);
}

/** What a scheme makes the client do, without its key, description, pointer or the scopes it lists. */
function identity(scheme: IrSecurityScheme | undefined, key: string): string {
  if (!scheme) return `undeclared:${key}`;
  const { key: _key, description: _description, pointer: _pointer, ...rest } = scheme;
  const shape = rest.kind === 'oauth2' ? { ...rest, flows: rest.flows.map(({ scopes: _scopes, ...flow }) => flow) } : rest;
  return stableStringify(shape);
}

/** identity() per side and scheme key: every operation names the same few schemes. */
const identities = new WeakMap<Side, Map<string, string>>();

function identityOf(side: Side, key: string): string {
  let known = identities.get(side);
  if (!known) {
    known = new Map();
    identities.set(side, known);
  }
  let id = known.get(key);
  if (id === undefined) {
    id = identity(schemeOf(side, key), key);
    known.set(key, id);
  }
  return id;
}

type Alternative = { id: string; entries: Array<{ id: string; key: string; scopes: string[] }> };

function alternatives(side: Side, requirements: IrSecurityRequirement[]): Alternative[] {
  const list = requirements.length === 0 ? [[]] : requirements;
  return list.map((requirement) => {
    const entries = requirement.map((entry) => ({ id: identityOf(side, entry.scheme), key: entry.scheme, scopes: entry.scopes }));
    return { id: entries.map((entry) => entry.id).sort().join('+'), entries };
  });
}

const describeAlternative = (alternative: Alternative): string => (alternative.entries.length === 0 ? 'anonymous access' : alternative.entries.map((entry) => `\`${entry.key}\``).join(' + '));

export function compareOperationSecurity(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const out: Finding[] = [];
  const where = 'security';
  const pointers = { base: base.pointer, revision: revision.pointer };
  const b = alternatives(ctx.base, base.security);
  const r = alternatives(ctx.revision, revision.security);
  const remaining = [...r];
  for (const alternative of b) {
    const index = remaining.findIndex((candidate) => candidate.id === alternative.id);
    if (index < 0) {
      out.push(ctx.emit('security-requirement-removed', 'request', where, `${describeAlternative(alternative)} no longer accepted`, pointers));
      continue;
    }
    const match = remaining.splice(index, 1)[0] as Alternative;
    for (const entry of alternative.entries) {
      const other = match.entries.find((candidate) => candidate.id === entry.id);
      if (!other) continue;
      const addedScopes = other.scopes.filter((scope) => !entry.scopes.includes(scope));
      const removedScopes = entry.scopes.filter((scope) => !other.scopes.includes(scope));
      if (addedScopes.length > 0) out.push(ctx.emit('security-scope-added', 'request', where, `\`${other.key}\` now also needs scope${addedScopes.length > 1 ? 's' : ''} ${addedScopes.join(', ')}`, pointers));
      if (removedScopes.length > 0) out.push(ctx.emit('security-scope-removed', 'request', where, `\`${other.key}\` no longer needs scope${removedScopes.length > 1 ? 's' : ''} ${removedScopes.join(', ')}`, pointers));
    }
  }
  for (const alternative of remaining) out.push(ctx.emit('security-requirement-added', 'request', where, `${describeAlternative(alternative)} now accepted`, pointers));
  return out;
}

function usesScheme(op: IrOperation, key: string): boolean {
  return op.security.some((requirement) => requirement.some((entry) => entry.scheme === key));
}

/** components.securitySchemes: matched by key, then by identity (a renamed key is no change on the wire). */
export function compareSecuritySchemes(ctx: DiffContext): void {
  const baseSchemes = ctx.base.ir.securitySchemes;
  const revisionSchemes = [...ctx.revision.ir.securitySchemes];
  const unmatched: IrSecurityScheme[] = [];
  const report = (finding: Finding, key: string, onBase: boolean): void => {
    const ops = onBase ? ctx.base.ir.operations : ctx.revision.ir.operations;
    for (const op of ops) if (usesScheme(op, key)) attribute([finding], onBase ? op : undefined, onBase ? undefined : op);
  };
  for (const b of baseSchemes) {
    const index = revisionSchemes.findIndex((r) => r.key === b.key);
    if (index < 0) {
      unmatched.push(b);
      continue;
    }
    const r = revisionSchemes.splice(index, 1)[0] as IrSecurityScheme;
    if (identity(b, b.key) !== identity(r, r.key)) {
      const finding = ctx.emit('security-scheme-changed', 'request', `security scheme \`${b.key}\``, `changed from ${summary(b)} to ${summary(r)}`, { base: b.pointer, revision: r.pointer });
      report(finding, b.key, true);
    }
    for (const finding of compareOfferedScopes(ctx, b, r)) report(finding, b.key, true);
  }
  for (const b of unmatched) {
    const index = revisionSchemes.findIndex((r) => identity(r, r.key) === identity(b, b.key));
    if (index >= 0) {
      revisionSchemes.splice(index, 1);
      continue;
    }
    report(ctx.emit('security-scheme-removed', 'request', `security scheme \`${b.key}\``, `${summary(b)} scheme removed`, { base: b.pointer }), b.key, true);
  }
  for (const r of revisionSchemes) report(ctx.emit('security-scheme-added', 'request', `security scheme \`${r.key}\``, `${summary(r)} scheme added`, { revision: r.pointer }), r.key, false);
}

/**
 * The scopes an OAuth2 scheme offers, per flow present on both sides (a flow added or removed is a changed scheme).
 * What operations require is compared per operation (security-scope-added/removed); this is what clients may ask
 * the authorization server for.
 */
function compareOfferedScopes(ctx: DiffContext, b: IrSecurityScheme, r: IrSecurityScheme): Finding[] {
  if (b.kind !== 'oauth2' || r.kind !== 'oauth2') return [];
  const out: Finding[] = [];
  const subject = `security scheme \`${b.key}\``;
  const list = (scopes: string[]): string => scopes.map((scope) => `\`${scope}\``).join(', ');
  for (const flow of b.flows) {
    const other = r.flows.find((candidate) => candidate.flow === flow.flow);
    if (!other) continue;
    const removed = flow.scopes.filter((scope) => !other.scopes.includes(scope));
    const added = other.scopes.filter((scope) => !flow.scopes.includes(scope));
    const pointers = { base: `${b.pointer}/flows/${flow.flow}/scopes`, revision: `${r.pointer}/flows/${other.flow}/scopes` };
    if (removed.length > 0) out.push(ctx.emit('security-scheme-scope-removed', 'request', subject, `${flow.flow} flow no longer offers scope${removed.length > 1 ? 's' : ''} ${list(removed)}`, pointers));
    if (added.length > 0) out.push(ctx.emit('security-scheme-scope-added', 'request', subject, `${flow.flow} flow now offers scope${added.length > 1 ? 's' : ''} ${list(added)}`, pointers));
  }
  return out;
}

function summary(scheme: IrSecurityScheme): string {
  switch (scheme.kind) {
    case 'api-key':
      return `api key in ${scheme.in} \`${scheme.name}\``;
    case 'oauth2':
      return `oauth2 (${scheme.flows.map((flow) => `${flow.flow}${flow.tokenUrl ? ` ${flow.tokenUrl}` : ''}`).join(', ')})`;
    case 'openid-connect':
      return `openid-connect ${scheme.url}`;
    case 'http-other':
      return `http ${scheme.scheme}`;
    case 'hmac':
      return `hmac ${scheme.algorithm} in \`${scheme.header}\``;
    default:
      return scheme.kind;
  }
}
