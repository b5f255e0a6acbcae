import { levelRank, type Change, type DiffReport } from '../types.js';
import { impactText, summaryText, versionText } from './shared.js';

/** Both sides' text at a pointer, for the report's snippets (absent when a side has nothing there). */
export type SnippetSource = (side: 'base' | 'revision', pointer: string) => string | undefined;

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.summary{padding:.6rem .8rem;border-radius:6px;background:#f6f8fa}
.change{border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;margin:.8rem 0;padding:.6rem .8rem}
.breaking{border-left-color:#cf222e}.warning{border-left-color:#bf8700}.info{border-left-color:#0969da}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .45rem;border-radius:1rem;color:#fff;margin-right:.4rem}
.badge.breaking{background:#cf222e}.badge.warning{background:#9a6700}.badge.info{background:#0969da}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin-top:.5rem}
.sides pre{margin:.2rem 0 0;max-height:16rem;overflow:auto;background:#f6f8fa;padding:.4rem;border-radius:4px;font-size:12px}
.muted{color:#59636e}`;

/** Key of the group a change belongs to: its first operation, or the document as a whole. */
function groupKey(change: Change): string {
  return change.operation ? `${change.operation.method.toUpperCase()} ${change.operation.path}` : 'Document';
}

/**
 * A self-contained page (inline CSS, no scripts, no external assets) for CI artifacts: changes grouped by operation,
 * the groups with breaking changes first, each change with both sides' JSON pointers and snippets.
 */
export function formatHtml(report: DiffReport, snippet: SnippetSource = () => undefined): string {
  const groups = new Map<string, Change[]>();
  for (const change of report.changes) {
    const key = groupKey(change);
    const list = groups.get(key);
    if (list) list.push(change);
    else groups.set(key, [change]);
  }
  const worst = (list: Change[]): number => Math.max(...list.map((change) => levelRank(change.level)));
  const ordered = [...groups.entries()].sort((a, b) => worst(b[1]) - worst(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const title = `concord diff: ${report.base.source} → ${report.revision.source}`;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="summary"><strong>${esc(summaryText(report))}</strong> · ${esc(versionText(report.versioning))}</p>`,
  ];
  if (report.changes.length === 0) parts.push('<p>No changes.</p>');
  for (const [key, list] of ordered) {
    parts.push(`<h2>${esc(key)}</h2>`);
    const sorted = [...list].sort((a, b) => levelRank(b.level) - levelRank(a.level));
    for (const change of sorted) parts.push(renderChange(change, snippet));
  }
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}

function renderChange(change: Change, snippet: SnippetSource): string {
  const others = change.operations.slice(1).map((op) => `${op.method.toUpperCase()} ${op.path}`);
  const side = (name: 'base' | 'revision', pointer: string | undefined): string => {
    if (pointer === undefined) return `<div><div class="muted">${name}: not present</div></div>`;
    const text = snippet(name, pointer);
    return `<div><div>${name} <code>#${esc(pointer)}</code></div>${text === undefined ? '' : `<pre>${esc(text)}</pre>`}</div>`;
  };
  return [
    `<div class="change ${change.level}">`,
    `<div><span class="badge ${change.level}">${change.level}</span><code>${esc(change.id)}</code> <span class="muted">(${change.direction})</span></div>`,
    `<p>${esc(change.message)}</p>`,
    others.length > 0 ? `<p class="muted">Also in: ${esc(others.join(', '))}</p>` : '',
    impactText(change) ? `<p class="muted">Affects ${esc(impactText(change))}</p>` : '',
    `<div class="sides">${side('base', change.basePointer)}${side('revision', change.revisionPointer)}</div>`,
    '</div>',
  ].join('');
}

/** A snippet source over the two bundled documents: the JSON at the pointer, cut to `maxLines`. */
export function documentSnippets(documents: { base: unknown; revision: unknown }, resolve: (root: unknown, pointer: string) => unknown, maxLines = 24): SnippetSource {
  return (side, pointer) => {
    const value = resolve(documents[side], pointer);
    if (value === undefined) return undefined;
    const lines = JSON.stringify(value, null, 2).split('\n');
    return lines.length <= maxLines ? lines.join('\n') : `${lines.slice(0, maxLines).join('\n')}\n… ${lines.length - maxLines} more lines`;
  };
}
