// SecLang transformations (`t:name`), the entry points the WAF engine uses. Values are bytes; a
// transformation returns the SAME object when it changed nothing, so the engine can cache on identity.
import { Bytes } from '../types';
import { NAMES, FNS } from './registry';

/** Index of a transformation by name (case-insensitive), -1 when unknown. `none` is the engine's. */
export function transformId(name: string): i32 {
  const lower = name.toLowerCase();
  for (let i = 0; i < NAMES.length; i++) if (unchecked(NAMES[i]) == lower) return i;
  return -1;
}

/** Name of a transformation id (for logs), "" when out of range. */
export function transformName(id: i32): string {
  return id >= 0 && id < NAMES.length ? NAMES[id] : '';
}

/** Applies transformation `id` (from transformId); an unknown id leaves the input as it is. */
export function applyTransform(id: i32, input: Bytes): Bytes {
  if (id < 0 || id >= FNS.length) return input;
  return unchecked(FNS[id])(input);
}
