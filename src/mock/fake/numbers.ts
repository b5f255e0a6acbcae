import type { IrNumber } from '../../ir/types.js';
import type { Rng } from './prng.js';

/** Numbers inside the declared bounds (inclusive and exclusive), on the multipleOf grid, within the format's range. */

const FORMAT_RANGES: Record<string, readonly [number, number]> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
};

function decimalsOf(value: number): number {
  const text = String(value);
  if (text.includes('e-')) return Number(text.split('e-')[1] ?? 0) + (text.split('e-')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/** Declared bounds narrowed to a readable window, then to the format's range. */
function bounds(schema: IrNumber): { lo: number; hi: number; loOpen: boolean; hiOpen: boolean } {
  let lo = -Infinity;
  let hi = Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (schema.minimum !== undefined) lo = schema.minimum;
  if (schema.exclusiveMinimum !== undefined && schema.exclusiveMinimum >= lo) {
    lo = schema.exclusiveMinimum;
    loOpen = true;
  }
  if (schema.maximum !== undefined) hi = schema.maximum;
  if (schema.exclusiveMaximum !== undefined && schema.exclusiveMaximum <= hi) {
    hi = schema.exclusiveMaximum;
    hiOpen = true;
  }
  // A modest window keeps values readable: [1, 1000] when the bounds allow it, else the end of the range nearest it.
  if (lo <= 1 && hi >= 1000) [lo, hi, loOpen, hiOpen] = [1, 1000, lo === 1 && loOpen, hi === 1000 && hiOpen];
  else if (lo > 1 && hi - lo > 1000) [hi, hiOpen] = [lo + 1000, false];
  else if (hi < 1000 && hi - lo > 1000) [lo, loOpen] = [hi - 1000, false];
  const range = schema.format !== undefined ? FORMAT_RANGES[schema.format] : undefined;
  if (schema.kind === 'integer') {
    const [fmin, fmax] = range ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (fmin > lo) [lo, loOpen] = [fmin, false];
    if (fmax < hi) [hi, hiOpen] = [fmax, false];
  }
  return { lo, hi, loOpen, hiOpen };
}

export function fakeNumber(schema: IrNumber, rng: Rng): number {
  const { lo, hi, loOpen, hiOpen } = bounds(schema);
  const rawLo = lo;
  const rawHi = hi;
  const step = schema.multipleOf;
  const integer = schema.kind === 'integer';
  if (step !== undefined && step > 0) {
    const unit = integer ? lcmStep(step) : step;
    let kLo = Math.ceil(lo / unit);
    let kHi = Math.floor(hi / unit);
    if (loOpen && kLo * unit <= rawLo) kLo++;
    if (hiOpen && kHi * unit >= rawHi) kHi--;
    if (kHi < kLo) return integer ? Math.ceil(lo) : lo;
    const k = rng.int(kLo, Math.min(kHi, kLo + 1000));
    const decimals = decimalsOf(unit);
    return decimals > 0 ? Number((k * unit).toFixed(Math.min(decimals, 20))) : k * unit;
  }
  if (integer) {
    let a = Math.ceil(lo);
    let b = Math.floor(hi);
    if (loOpen && a <= rawLo) a = Math.floor(rawLo) + 1;
    if (hiOpen && b >= rawHi) b = Math.ceil(rawHi) - 1;
    if (b < a) return a;
    return rng.int(a, Math.min(b, a + 1_000_000));
  }
  const span = Math.min(hi - lo, 1e6);
  for (let attempt = 0; attempt < 8; attempt++) {
    const value = Number((lo + rng.next() * span).toFixed(2));
    if ((loOpen ? value > rawLo : value >= lo) && (hiOpen ? value < rawHi : value <= hi)) return value;
  }
  return (lo + hi) / 2;
}

/** An integer's multipleOf grid step: the step itself when whole, else the smallest whole multiple of it. */
function lcmStep(step: number): number {
  if (Number.isInteger(step)) return step;
  for (let k = 2; k <= 1000; k++) {
    const candidate = Number((step * k).toFixed(10));
    if (Number.isInteger(candidate)) return candidate;
  }
  return Math.ceil(step);
}
