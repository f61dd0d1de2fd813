// Reads just enough of a Wasm binary to check it as Envoy does before instantiating: function types of
// imports and exports, import kinds, and export order (the first ABI marker in export order wins).
// WebAssembly.Module.imports()/exports() do not expose signatures, hence this small reader.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
export interface FuncType { params: ValType[]; results: ValType[] }
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
export interface ImportEntry { module: string; name: string; kind: ExternKind; type?: FuncType }
export interface ExportEntry { name: string; kind: ExternKind; type?: FuncType }
export interface ModuleShape { imports: ImportEntry[]; exports: ExportEntry[] }

const valTypes: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const kinds: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

export class WasmFormatError extends Error {}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array, private readonly end = b.length) {}
  done(): boolean { return this.pos >= this.end; }
  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError('unexpected end of module');
    return this.b[this.pos++]!;
  }
  u32(): number {
    let result = 0, shift = 0;
    for (;;) {
      const byte = this.byte();
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 35) throw new WasmFormatError('malformed LEB128 integer');
    }
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new WasmFormatError('unexpected end of module');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string { return new TextDecoder().decode(this.bytes(this.u32())); }
  valType(): ValType {
    const t = valTypes[this.byte()];
    if (!t) throw new WasmFormatError('unknown value type');
    return t;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

export function formatFuncType(t: FuncType | undefined): string {
  if (!t) return '?';
  return `${t.params.join(' ') || ''} -> ${t.results.join(' ') || ''}`.trim();
}

/** Parses type, import, function and export sections. Throws WasmFormatError on a malformed binary. */
export function readModuleShape(bytes: Uint8Array): ModuleShape {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError('not a Wasm module (bad magic number)');
  }
  const r = new Reader(bytes);
  r.pos = 8;
  const types: FuncType[] = [];
  const imports: ImportEntry[] = [];
  const funcTypeIndices: number[] = []; // imported functions first, then defined ones
  const rawExports: { name: string; kind: ExternKind; index: number }[] = [];
  while (!r.done()) {
    const id = r.byte();
    const size = r.u32();
    const sectionEnd = r.pos + size;
    if (sectionEnd > bytes.length) throw new WasmFormatError('section runs past the end of the module');
    const s = new Reader(bytes, sectionEnd);
    s.pos = r.pos;
    if (id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        if (s.byte() !== 0x60) throw new WasmFormatError('unsupported type form');
        const params: ValType[] = [];
        for (let p = s.u32(); p > 0; p--) params.push(s.valType());
        const results: ValType[] = [];
        for (let q = s.u32(); q > 0; q--) results.push(s.valType());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        const module = s.name();
        const name = s.name();
        const kindByte = s.byte();
        const kind = kinds[kindByte];
        if (!kind) throw new WasmFormatError('unknown import kind');
        const entry: ImportEntry = { module, name, kind };
        if (kind === 'function') {
          const ti = s.u32();
          entry.type = types[ti];
          funcTypeIndices.push(ti);
        } else if (kind === 'table') { s.byte(); s.limits(); }
        else if (kind === 'memory') s.limits();
        else if (kind === 'global') { s.valType(); s.byte(); }
        else { s.byte(); s.u32(); }
        imports.push(entry);
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) funcTypeIndices.push(s.u32());
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const name = s.name();
        const kind = kinds[s.byte()];
        if (!kind) throw new WasmFormatError('unknown export kind');
        rawExports.push({ name, kind, index: s.u32() });
      }
    }
    r.pos = sectionEnd;
  }
  const exports: ExportEntry[] = rawExports.map((e) => ({
    name: e.name,
    kind: e.kind,
    type: e.kind === 'function' ? types[funcTypeIndices[e.index] ?? -1] : undefined,
  }));
  return { imports, exports };
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * Returns a copy of the module whose defined memory may grow to at most `maxPages` (Envoy's V8 allows
 * 1 GiB = 16384 pages; past it memory.grow returns -1 instead of growing). Modules without a memory
 * section, or already capped lower, come back unchanged.
 */
export function capLinearMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  const r = new Reader(bytes);
  r.pos = 8;
  while (!r.done()) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const bodyStart = r.pos;
    const end = bodyStart + size;
    if (id === 5) {
      const s = new Reader(bytes, end);
      s.pos = bodyStart;
      const count = s.u32();
      const body: number[] = [...leb(count)];
      let changed = false;
      for (let i = 0; i < count; i++) {
        const flags = s.byte();
        const min = s.u32();
        const max = flags & 1 ? s.u32() : undefined;
        if (flags > 1) return bytes; // shared / 64-bit memories: leave alone
        const capped = max === undefined || max > maxPages ? Math.max(min, maxPages) : max;
        if (capped !== max) changed = true;
        body.push(1, ...leb(min), ...leb(capped));
      }
      if (!changed) return bytes;
      const section = [5, ...leb(body.length), ...body];
      const out = new Uint8Array(start + section.length + (bytes.length - end));
      out.set(bytes.subarray(0, start), 0);
      out.set(section, start);
      out.set(bytes.subarray(end), start + section.length);
      return out;
    }
    r.pos = end;
  }
  return bytes;
}
