/**
 * The dead-letter console's one page: inline CSS and script (allowed by a per-response CSP nonce), no external
 * assets, no build step. Everything it shows comes from the JSON API and is inserted as text, never as HTML.
 */
import type { AlertThresholds } from './thresholds.js';

export interface PageOptions {
  nonce: string;
  allowWrites: boolean;
  location: string;
  thresholds: AlertThresholds;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:16px;margin:0}header small{opacity:.7}
main{padding:16px;display:grid;gap:16px}
.signals{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.signal{background:#fff;border-radius:6px;padding:10px 12px;border-left:6px solid #3a7}
.signal.firing{border-left-color:#d33}.signal b{font-size:20px;display:block}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:6px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e6ea;vertical-align:top}
tr.selected{background:#eef4ff}td.actions{white-space:nowrap}
button{font:inherit;padding:3px 10px;border-radius:4px;border:1px solid #99a;background:#fff;cursor:pointer}
button.danger{border-color:#d33;color:#d33}
pre{background:#fff;padding:12px;border-radius:6px;overflow:auto;max-height:420px}
#status{min-height:1.4em}.muted{color:#667}
`;

const SCRIPT = `
const token = new URLSearchParams(location.search).get('token');
const auth = token ? { authorization: 'Bearer ' + token } : {};
const $ = (id) => document.getElementById(id);
function age(s) { s = Math.round(s); return s < 60 ? s + 's' : s < 3600 ? Math.round(s / 60) + 'm' : s < 86400 ? Math.round(s / 3600) + 'h' : Math.round(s / 86400) + 'd'; }
function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }
function say(text) { $('status').textContent = text; }
async function api(path, init) {
  const response = await fetch(path, { ...init, headers: { ...auth, ...(init && init.headers) } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}
function showSignal(id, signal, format) {
  const el = $(id);
  el.classList.toggle('firing', signal.firing);
  el.querySelector('b').textContent = signal.value === null ? 'n/a' : format(signal.value);
  el.querySelector('span').textContent = (signal.firing ? 'ALERT: above ' : 'ok: threshold ') + format(signal.threshold);
}
async function load() {
  const data = await api('/api/records');
  showSignal('sig-depth', data.signals.depth, (v) => String(v));
  showSignal('sig-age', data.signals.oldestAgeSeconds, age);
  showSignal('sig-rate', data.signals.validationRejectionRate, (v) => (v * 100).toFixed(1) + ' %');
  const body = $('records');
  body.replaceChildren();
  for (const r of data.records) {
    const row = document.createElement('tr');
    row.dataset.id = r.id;
    cell(row, r.id); cell(row, age(r.ageSeconds)); cell(row, r.operationId);
    cell(row, r.method + ' ' + r.url);
    cell(row, r.reason + ' after ' + r.attempts + ' attempt(s), ' + (r.lastStatus === null ? (r.lastError || 'error') : 'HTTP ' + r.lastStatus));
    const actions = cell(row, '');
    actions.className = 'actions';
    const show = document.createElement('button'); show.textContent = 'Show'; show.onclick = () => showRecord(r.id, row);
    actions.appendChild(show);
    if (data.allowWrites) {
      const replay = document.createElement('button'); replay.textContent = 'Replay'; replay.onclick = () => confirmAction('replay', r.id);
      const purge = document.createElement('button'); purge.textContent = 'Purge'; purge.className = 'danger'; purge.onclick = () => confirmAction('purge', r.id);
      actions.append(' ', replay, ' ', purge);
    }
    body.appendChild(row);
  }
  $('count').textContent = data.records.length + ' parked';
}
async function showRecord(id, row) {
  for (const tr of document.querySelectorAll('tr.selected')) tr.classList.remove('selected');
  row.classList.add('selected');
  $('detail').textContent = JSON.stringify(await api('/api/records/' + encodeURIComponent(id)), null, 2);
}
let pending = null;
function confirmAction(action, id) {
  pending = { action, id };
  $('confirm-text').textContent = action === 'replay'
    ? 'Replay ' + id + '? It is sent again with its original idempotency key and removed after a 2xx.'
    : 'Purge ' + id + '? It is deleted without being sent, for good.';
  $('confirm').showModal();
}
async function runPending() {
  const { action, id } = pending;
  try {
    const result = await api('/api/records/' + encodeURIComponent(id) + '/' + action, { method: 'POST', headers: { 'x-concord-console': '1' } });
    if (action === 'purge') say(result.removed ? 'purged ' + id : id + ' was already gone');
    else if (result.delivered.length) say('replayed ' + id + ': delivered and removed');
    else if (result.skipped.length) say(id + ' is being replayed by someone else, or was already delivered');
    else say('replay of ' + id + ' failed: ' + (result.failed[0].status === null ? result.failed[0].error : 'HTTP ' + result.failed[0].status) + ' (kept)');
  } catch (error) { say(action + ' failed: ' + error.message); }
  if ($('detail').textContent.includes('"id": ' + JSON.stringify(id))) $('detail').textContent = '';
  await load();
}
$('confirm-ok').onclick = () => { $('confirm').close(); runPending(); };
$('confirm-cancel').onclick = () => $('confirm').close();
$('refresh').onclick = () => load().catch((e) => say(e.message));
load().catch((e) => say(e.message));
setInterval(() => load().catch((e) => say(e.message)), 10000);
`;

export function consolePage(options: PageOptions): string {
  const t = options.thresholds;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>concord dead letters</title><style nonce="${options.nonce}">${STYLE}</style></head>
<body>
<header><h1>concord dead letters</h1><small>${escapeHtml(options.location)}</small>
<small id="count"></small><small>${options.allowWrites ? 'replay and purge enabled' : 'read-only'}</small></header>
<main>
<section class="signals">
<div class="signal" id="sig-depth">Parked requests<b>…</b><span class="muted"></span></div>
<div class="signal" id="sig-age">Oldest parked<b>…</b><span class="muted"></span></div>
<div class="signal" id="sig-rate">Validation rejection rate<b>…</b><span class="muted"></span></div>
</section>
<p class="muted">Alert rules: depth &gt; ${t.maxDepth}, oldest &gt; ${t.maxOldestAgeSeconds}s, rejections &gt; ${(t.maxRejectionRatio * 100).toFixed(1)} % over ${escapeHtml(t.window)}. <button id="refresh">Refresh</button></p>
<div id="status" role="status"></div>
<table><thead><tr><th>id</th><th>age</th><th>operation</th><th>request</th><th>reason</th><th></th></tr></thead><tbody id="records"></tbody></table>
<pre id="detail" class="muted">Select a record to see it (credentials were redacted when it was parked).</pre>
</main>
<dialog id="confirm"><p id="confirm-text"></p><button id="confirm-ok">Confirm</button> <button id="confirm-cancel">Cancel</button></dialog>
<script nonce="${options.nonce}">${SCRIPT}</script>
</body></html>
`;
}
