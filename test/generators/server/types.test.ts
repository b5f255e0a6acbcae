import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvider, ROOT, runTsc, writeTsconfig, type Generated } from './harness.js';

/**
 * The handler types reject what the contract does not declare. One `tsc` run over the generated output plus two
 * files: `expect-errors.ts` marks each wrong line with `@ts-expect-error` (so it must compile), and `bare.ts` holds
 * the same lines without the directive, where tsc must report an error on exactly those lines — proving each
 * directive is used for the intended reason and not for an unrelated mistake.
 */

const PRELUDE = `import type { CreatePetHandler, DeletePetHandler, Handlers, ListPetsHandler, ShowPetByIdHandler, UpdatePetHandler, WebhookSender } from '../server.js';
`;

const VALID = `
export const listPets: ListPetsHandler = (input) => ({ status: 200, body: [{ id: input.query.limit ?? 1, name: 'Rex' }], headers: { 'X-Total-Count': 1 } });
export const listPetsFailed: ListPetsHandler = () => ({ status: 404, contentType: 'application/problem+json', body: { code: 404, message: 'none' } });
export const createPet: CreatePetHandler = async (input, context) => {
  const key: string = input.header['Idempotency-Key'];
  const name: string = input.body.name;
  return context.correlationId === '' ? { status: 500, body: { code: 500, message: key } } : { status: 201, body: { id: 1, name } };
};
export const showPetById: ShowPetByIdHandler = (input) => (input.path.petId > 0 ? { status: 200, body: { id: input.path.petId, name: 'Rex' } } : { status: 404, body: { code: 404, message: 'gone' } });
export const updatePet: UpdatePetHandler = (input) => ({ status: 200, body: { id: input.path.petId, name: input.body.name, ...(input.body.age === undefined ? {} : { age: input.body.age }) } });
export const deletePet: DeletePetHandler = () => ({ status: 204 });
export const handlers: Handlers = {
  listPets, createPet, showPetById, updatePet, deletePet,
  getPetPhoto: (input) => ({ status: 200, body: \`\${input.path.petId}.\${input.path.format}\` }),
  getStats: (input) => ({ status: 200, body: { pets: input.cookie.session.length } }),
};
export async function notify(sender: WebhookSender): Promise<boolean> {
  const delivery = await sender.webhookPostPetAdopted('http://127.0.0.1:1/hook', { petId: 1, adopter: 'Ann' });
  return delivery.ok;
}
`;

/** Each entry is one line that must not compile, and why. */
const WRONG: Array<{ why: string; line: string }> = [
  { why: 'undeclared status', line: `export const e1: ShowPetByIdHandler = () => ({ status: 418, body: { id: 1, name: 'x' } });` },
  { why: 'declared status, body missing a required property', line: `export const e2: ShowPetByIdHandler = () => ({ status: 200, body: { id: 1 } });` },
  { why: 'declared status, body of another status', line: `export const e3: CreatePetHandler = () => ({ status: 201, body: { code: 1, message: 'x' } });` },
  { why: 'a body on a response that declares none', line: `export const e4: DeletePetHandler = () => ({ status: 204, body: { id: 1, name: 'x' } });` },
  { why: 'required response header missing', line: `export const e5: ListPetsHandler = () => ({ status: 200, body: [] });` },
  { why: 'undeclared media type', line: `export const e6: ShowPetByIdHandler = () => ({ status: 200, contentType: 'text/html', body: { id: 1, name: 'x' } });` },
  { why: 'status outside the declared 4XX range', line: `export const e7: ListPetsHandler = () => ({ status: 500, contentType: 'application/problem+json', body: { code: 500, message: 'x' } });` },
  { why: 'parameter of the wrong type', line: `export const e8: ShowPetByIdHandler = (input) => ({ status: 200, body: { id: 1, name: input.path.petId } });` },
  { why: 'parameter the operation does not have', line: `export const e9: ShowPetByIdHandler = (input) => ({ status: 200, body: { id: input.path.ownerId, name: 'x' } });` },
  { why: 'an operation without a handler', line: `export const e10: Handlers = { listPets: () => ({ status: 200, body: [], headers: { 'X-Total-Count': 0 } }) };` },
  { why: 'webhook payload outside the contract', line: `export const e11 = (sender: WebhookSender) => sender.webhookPostPetAdopted('http://127.0.0.1:1/hook', { petId: 'one', adopter: 'Ann' });` },
  { why: 'status outside HTTP', line: `export const e12: CreatePetHandler = () => ({ status: 700, body: { code: 1, message: 'x' } });` },
];

let generated: Generated;
beforeAll(async () => {
  generated = await generateProvider();
});
afterAll(async () => {
  await generated?.remove();
});

describe('generated handler types', () => {
  it('accept declared responses and refuse undeclared ones (tsc --noEmit, strict)', async () => {
    const dir = path.join(generated.dir, 'typecheck');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'expect-errors.ts'), PRELUDE + VALID + WRONG.map((w) => `// @ts-expect-error ${w.why}\n${w.line}\n`).join(''));
    const bareLines = WRONG.map((w) => w.line);
    await writeFile(path.join(dir, 'bare.ts'), PRELUDE + bareLines.join('\n') + '\n');
    const tsconfig = await writeTsconfig(generated.dir);

    const result = await runTsc(tsconfig);
    const errors = result.stdout
      .split('\n')
      .map((line) => /^(.+?)\((\d+),\d+\): error (TS\d+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ file: path.resolve(ROOT, m[1] ?? ''), line: Number(m[2]) }));
    const bare = path.join(dir, 'bare.ts');
    const elsewhere = errors.filter((e) => e.file !== bare);
    expect(elsewhere, result.stdout).toEqual([]);
    const preludeLines = PRELUDE.split('\n').length - 1;
    const failing = new Set(errors.map((e) => e.line - preludeLines - 1));
    expect(WRONG.filter((_, index) => !failing.has(index)).map((w) => w.why), 'lines that compiled but should not').toEqual([]);
    expect(result.code).not.toBe(0);
  });
});
