import { test } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { buildIr } from '../../src/ir/build/document.js';
const files = (process.env.SPECS ?? '').split(',');
test('ir', async () => {
  for (const f of files) {
    const t = Date.now();
    const raw = (await SwaggerParser.parse(f).catch(() => null)) as any;
    let doc: any;
    try { doc = await SwaggerParser.bundle(f) as any; } catch (e) { const y = await import('yaml'); const fs = await import('node:fs'); const d = y.parse(fs.readFileSync(f,'utf8')); d.paths ??= {}; d.openapi = String(d.openapi).startsWith('3.0') ? '3.0.3' : '3.1.0'; d.info.version = String(d.info.version); doc = await SwaggerParser.bundle(f, d, {}); }
    const t1 = Date.now();
    const spec = { document: doc, sourceVersion: '3', source: f, files: [], diagnostics: [], hash: 'x' };
    try {
      const ir = buildIr(spec);
      console.log(f.split('/').pop(), 'bundle', t1 - t, 'ir', Date.now() - t1, 'schemas', ir.schemas.length, 'ops', ir.operations.length, 'hooks', ir.webhooks.length, 'warn', spec.diagnostics.length, 'rec', ir.schemas.filter(s => s.recursive).length, 'ro', ir.schemas.filter(s=>s.hasReadOnly).length, spec.diagnostics.slice(0,3).map((d: any) => d.code + ' ' + d.pointer + ' ' + d.message));
    } catch (e) { console.log(f, 'ERR', e); }
  }
});
