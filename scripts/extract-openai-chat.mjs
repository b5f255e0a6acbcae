// Regenerates fixtures/openai-chat-stream.yaml: node scripts/extract-openai-chat.mjs ../shared/specs/real/openai-openapi.yaml fixtures/openai-chat-stream.yaml
import yaml from 'js-yaml';
import { readFileSync, writeFileSync } from 'node:fs';
const doc = yaml.load(readFileSync(process.argv[2], 'utf8'));
const op = doc.paths['/chat/completions'].post;
const need = new Set(); const queue = [op];
const walk = (n) => { if (Array.isArray(n)) n.forEach(walk); else if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) { if (k === '$ref' && typeof v === 'string') { if (!need.has(v)) { need.add(v); const parts = v.slice(2).split('/'); let t = doc; for (const p of parts) t = t[p]; walk(t); } } else walk(v); } };
walk(op);
const out = { openapi: doc.openapi, info: { title: 'OpenAI chat completions (extract)', version: doc.info.version, description: 'createChatCompletion and the schemas it references, copied from openai/openai-openapi openapi.yaml at commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3 (MIT licence), so the streaming proof runs without ../shared.' }, servers: doc.servers, security: doc.security, paths: { '/chat/completions': { post: { ...op, 'x-oaiMeta': undefined } } }, components: { securitySchemes: doc.components.securitySchemes } };
delete out.paths['/chat/completions'].post['x-oaiMeta'];
for (const ref of [...need].sort()) { const parts = ref.slice(2).split('/'); let t = doc; for (const p of parts) t = t[p]; let o = out; for (const p of parts.slice(0, -1)) o = (o[p] ??= {}); o[parts.at(-1)] = t; }
writeFileSync(process.argv[3], yaml.dump(out, { lineWidth: 120, noRefs: true }));
console.log(need.size, 'refs');
