// A synthetic payments-style contract for `concord diff`: many named schemas that recurse into each other through
// expandable fields (`customer: string | Customer`), anyOf/oneOf/allOf, arrays and maps, plus a long non-recursive
// chain of named schemas. `revise` applies a fixed set of edits. Used by test/diff/recursion.test.ts and bench/diff.mjs.

/** @param {{ schemas?: number, operations?: number, properties?: number, chain?: number }} [options] */
export function syntheticContract(options = {}) {
  const count = options.schemas ?? 60;
  const operations = options.operations ?? 40;
  const extra = options.properties ?? 6;
  const chain = options.chain ?? 200;
  const name = (i) => `Resource${(i + count) % count}`;
  const ref = (i) => ({ $ref: `#/components/schemas/${name(i)}` });
  const expandable = (i) => ({ anyOf: [{ type: 'string', maxLength: 5000 }, ref(i)], 'x-expandableFields': true });
  const schemas = {};
  for (let i = 0; i < count; i++) {
    const properties = {
      id: { type: 'string', maxLength: 5000 },
      object: { type: 'string', enum: [name(i).toLowerCase()] },
      created: { type: 'integer', format: 'unix-time' },
      parent: expandable(i + 1),
      owner: { oneOf: [ref(i * 7 + 3), { $ref: '#/components/schemas/Deleted' }], nullable: true },
      children: { type: 'array', items: { anyOf: [ref(i - 1), ref(i * 3 + 1), { allOf: [ref(i + 5)], nullable: true }] } },
      metadata: { type: 'object', additionalProperties: ref(i + 2) },
      link: { $ref: '#/components/schemas/Chain0' },
    };
    for (let p = 0; p < extra; p++) properties[`field_${p}`] = p % 3 === 0 ? { type: 'string', maxLength: 5000, description: `Field ${p} of ${name(i)}.` } : p % 3 === 1 ? { type: 'integer', minimum: 0 } : expandable(i + p);
    schemas[name(i)] = i % 5 === 0 ? { allOf: [ref(i + 11), { type: 'object', required: ['id', 'object'], properties }] } : { type: 'object', required: ['id', 'object'], properties, title: name(i) };
  }
  schemas.Deleted = { type: 'object', required: ['id', 'deleted'], properties: { id: { type: 'string' }, deleted: { type: 'boolean', enum: [true] }, again: ref(0) } };
  for (let i = 0; i < chain; i++) schemas[`Chain${i}`] = { type: 'object', properties: { value: { type: 'string' }, next: i + 1 < chain ? { $ref: `#/components/schemas/Chain${i + 1}` } : { type: 'integer' } } };
  const paths = {};
  for (let o = 0; o < operations; o++) {
    const i = (o * 13) % count;
    paths[`/v1/${name(i).toLowerCase()}s/${o}/{id}`] = {
      get: {
        operationId: `Get${name(i)}${o}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string' } } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: ref(i) } } }, default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      },
      post: {
        operationId: `Update${name(i)}${o}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: ref(i + 1) } } },
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: ref(i) } } } },
      },
    };
  }
  schemas.Error = { type: 'object', properties: { error: { type: 'object', properties: { message: { type: 'string' }, code: { type: 'string' } } } } };
  return { openapi: '3.0.3', info: { title: 'Synthetic payments', version: '2024-01-01' }, paths, components: { schemas } };
}

/** The revision: a few edits deep inside the recursive web and at the end of the chain. */
export function revise(document) {
  const copy = structuredClone(document);
  const schemas = copy.components.schemas;
  const names = Object.keys(schemas).filter((key) => key.startsWith('Resource'));
  // A plain object schema (not one of the allOf ones), in the middle of the web.
  const target = schemas[names.slice(Math.floor(names.length / 2)).find((key) => !schemas[key].allOf)];
  target.properties.created = { type: 'string', format: 'date-time' };
  target.properties.object.enum.push('other');
  delete target.properties.field_0;
  const chainNames = Object.keys(schemas).filter((key) => key.startsWith('Chain'));
  schemas[chainNames[chainNames.length - 1]].properties.value = { type: 'boolean' };
  copy.info.version = '2024-02-01';
  return copy;
}
