import type { IrNamedSchema, IrSchema } from '../types.js';
import { stronglyConnected } from '../../util/strongly-connected.js';

/**
 * Facts that need the whole schema graph: which named schemas recurse, and which carry readOnly / writeOnly
 * properties somewhere below them (so request and response variants are needed). Computed over the strongly
 * connected components of the ref graph, so it stays linear on contracts where thousands of schemas reach each other.
 */
export function analyseSchemas(schemas: IrNamedSchema[]): void {
  const edges = new Map<string, string[]>();
  const localRead = new Map<string, boolean>();
  const localWrite = new Map<string, boolean>();
  const localMarked = new Map<string, boolean>();
  for (const named of schemas) {
    const facts: LocalFacts = { refs: new Set(), read: false, write: false, marked: false };
    scan(named.schema, true, facts);
    edges.set(named.name, [...facts.refs]);
    localRead.set(named.name, facts.read);
    localWrite.set(named.name, facts.write);
    localMarked.set(named.name, facts.marked);
  }
  const components = stronglyConnected(schemas.map((s) => s.name), (node) => edges.get(node) ?? []);
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const name of members) componentOf.set(name, index);
  });
  // Tarjan emits a component after every component it reaches, so one forward pass sees successors first.
  const read: boolean[] = [];
  const write: boolean[] = [];
  const marked: boolean[] = [];
  components.forEach((members, index) => {
    let r = false;
    let w = false;
    let m = false;
    for (const name of members) {
      r ||= localRead.get(name) === true;
      w ||= localWrite.get(name) === true;
      m ||= localMarked.get(name) === true;
      for (const target of edges.get(name) ?? []) {
        const other = componentOf.get(target);
        // A ref to nothing (a broken or external name) is unknown: it may be marked.
        if (other === undefined) m = true;
        if (other === undefined || other === index) continue;
        r ||= read[other] === true;
        w ||= write[other] === true;
        m ||= marked[other] === true;
      }
    }
    read.push(r);
    write.push(w);
    marked.push(m);
  });
  for (const named of schemas) {
    const index = componentOf.get(named.name) as number;
    const members = components[index] as string[];
    named.recursive = members.length > 1 || (edges.get(named.name) ?? []).includes(named.name);
    named.hasReadOnly = read[index] === true;
    named.hasWriteOnly = write[index] === true;
    named.directional = marked[index] === true;
  }
}

interface LocalFacts {
  /** Named schemas referred to directly or through inline children (not through other refs). */
  refs: Set<string>;
  /** A property below this node (not through refs) is marked readOnly / writeOnly. */
  read: boolean;
  write: boolean;
  /** Any node, the top and ref sites included, is marked readOnly or writeOnly. */
  marked: boolean;
}

/**
 * The refs and the readOnly / writeOnly marks of one named schema, in one walk (three walks, each allocating child
 * arrays, cost a third of building the IR on a 4 MB contract). A marked property counts even when its schema is a
 * ref; a marked inline child counts below the top; refs are not followed.
 */
function scan(schema: IrSchema, top: boolean, facts: LocalFacts): void {
  if (schema.readOnly === true || schema.writeOnly === true) facts.marked = true;
  if (schema.kind === 'ref') {
    facts.refs.add(schema.name);
    return;
  }
  if (!top) {
    if (schema.readOnly === true) facts.read = true;
    if (schema.writeOnly === true) facts.write = true;
  }
  switch (schema.kind) {
    case 'array':
      for (const item of schema.prefixItems ?? []) scan(item, false, facts);
      scan(schema.items, false, facts);
      return;
    case 'object':
      for (const property of schema.properties) {
        if (property.schema.readOnly === true) facts.read = true;
        if (property.schema.writeOnly === true) facts.write = true;
        scan(property.schema, false, facts);
      }
      if (typeof schema.additionalProperties === 'object') scan(schema.additionalProperties, false, facts);
      for (const pattern of schema.patternProperties ?? []) scan(pattern.schema, false, facts);
      return;
    case 'union':
    case 'intersection':
      for (const member of schema.members) scan(member, false, facts);
      return;
    default:
      return;
  }
}
