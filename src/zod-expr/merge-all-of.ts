import type { IrObject, IrProperty, IrRef, IrSchema } from '../ir/types.js';

export interface MergedSlot {
  schema: IrSchema;
  /** Required by any member. */
  required: boolean;
  /** Declared by an inline member (printed explicitly, after the spreads, so it wins). */
  own: boolean;
  /** Whether the last spread that carries the key makes it required (what the printed spread yields). */
  spreadRequired: boolean;
}

export interface MergedShape {
  /** Object-like refs, spread in order (`...A.shape`). */
  spreads: IrRef[];
  slots: Map<string, MergedSlot>;
  /** No member allows extra keys. */
  closed: boolean;
}

/**
 * The one object an allOf of object-like members stands for. A key declared by several members keeps the
 * schema of the inline member (else of the last ref) and is required when any member requires it, as in
 * openapi-typescript's intersection. `required: [key]` without a schema (the common "make a parent's property
 * required" idiom) only changes requiredness and keeps the parent's schema.
 */
export function mergeAllOf(members: readonly IrSchema[], propertiesOf: (ref: IrRef) => ReadonlyArray<Pick<IrProperty, 'name' | 'required' | 'schema'>>): MergedShape {
  const merged: MergedShape = { spreads: [], slots: new Map(), closed: true };
  const visit = (member: IrSchema): void => {
    if (member.kind === 'ref') {
      merged.spreads.push(member);
      merged.closed = false;
      for (const p of propertiesOf(member)) {
        const slot = merged.slots.get(p.name);
        if (!slot) {
          merged.slots.set(p.name, { schema: p.schema, required: p.required, own: false, spreadRequired: p.required });
          continue;
        }
        if (!slot.own) slot.schema = p.schema;
        slot.spreadRequired = p.required;
        slot.required ||= p.required;
      }
    } else if (member.kind === 'object') {
      if (member.additionalProperties !== false) merged.closed = false;
      for (const p of member.properties) {
        const slot = merged.slots.get(p.name);
        if (slot && isRequiredOnly(member, p)) slot.required = true;
        else merged.slots.set(p.name, { schema: p.schema, required: p.required || slot?.required === true, own: true, spreadRequired: slot?.spreadRequired ?? false });
      }
    } else if (member.kind === 'intersection') {
      member.members.forEach(visit);
    }
  };
  members.forEach(visit);
  return merged;
}

/** A key listed in `required` that the object's `properties` do not describe (the IR gives it an `any` schema). */
function isRequiredOnly(object: IrObject, property: IrProperty): boolean {
  return property.required && property.schema.kind === 'any' && property.schema.pointer === `${object.pointer}/required`;
}
