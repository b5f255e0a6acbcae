const R = process.cwd() + '/dist/src/';
const { loadForDiff } = await import(R + 'diff/loader.js');
const { buildIr } = await import(R + 'ir/build/document.js');
const { diffDocuments } = await import(R + 'diff/compare.js');
const [a, b] = process.argv.slice(2);
const A = await loadForDiff(a, new Map()); const B = await loadForDiff(b, new Map());
const ia = buildIr(A.spec), ib = buildIr(B.spec);
const cpu = []; for (let i = 0; i < 6; i++) { const t = process.cpuUsage(); diffDocuments(ia, ib, { base: a, revision: b }, {}, { base: A.spec.document, revision: B.spec.document }); const d = process.cpuUsage(t); cpu.push(Math.round((d.user + d.system) / 1000)); } console.log("diff cpu ms", cpu.join(" "));
