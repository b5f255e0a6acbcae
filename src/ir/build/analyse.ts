import type { IrNamedSchema, IrSchema } from '../types.js';
import { childSchemas, refsOf } from '../walk.js';
import { stronglyConnected } from '../../util/strongly-connected.js';

/**
 * Facts that need the whole schema graph: which named schemas recurse, and which carry readOnly / writeOnly
 * properties somewhere below them (so request and response variants are needed). Computed over the strongly
 * connected components of the ref graph, so it stays linear on contracts where thousands of schemas reach each other.
 */
export function analyseSchemas(schemas: IrNamedSchema[]): void {
  const edges = new Map(schemas.map((s) => [s.name, [...refsOf(s.schema)]]));
  const components = stronglyConnected(schemas.map((s) => s.name), (node) => edges.get(node) ?? []);
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const name of members) componentOf.set(name, index);
  });
  const localRead = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'readOnly', true)]));
  const localWrite = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'writeOnly', true)]));
  // Tarjan emits a component after every component it reaches, so one forward pass sees successors first.
  const read: boolean[] = [];
  const write: boolean[] = [];
  components.forEach((members, index) => {
    let r = false;
    let w = false;
    for (const name of members) {
      r ||= localRead.get(name) === true;
      w ||= localWrite.get(name) === true;
      for (const target of edges.get(name) ?? []) {
        const other = componentOf.get(target);
        if (other === undefined || other === index) continue;
        r ||= read[other] === true;
        w ||= write[other] === true;
      }
    }
    read.push(r);
    write.push(w);
  });
  for (const named of schemas) {
    const index = componentOf.get(named.name) as number;
    const members = components[index] as string[];
    named.recursive = members.length > 1 || (edges.get(named.name) ?? []).includes(named.name);
    named.hasReadOnly = read[index] === true;
    named.hasWriteOnly = write[index] === true;
  }
}

/** Whether a property below this node (not through refs) is marked with `flag`. */
function hasFlag(schema: IrSchema, flag: 'readOnly' | 'writeOnly', top: boolean): boolean {
  if (!top && schema[flag] === true) return true;
  if (schema.kind === 'object' && schema.properties.some((p) => p.schema[flag] === true)) return true;
  return childSchemas(schema).some((c) => c.kind !== 'ref' && hasFlag(c, flag, false));
}
