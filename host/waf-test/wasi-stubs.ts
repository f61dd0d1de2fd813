// Replaces WASI imports our host does not link with local functions returning ENOSYS, so a module built
// for Envoy's full WASI set (coraza-proxy-wasm, Go's wasip1 runtime imports ~35 WASI functions it only
// calls for file I/O) loads in our host. Envoy 1.40 links all of WASI preview 1; our host links a subset —
// that gap is a host issue, and this rewrite is the runner's local workaround, used only for peer modules.
//
// Removing an import renumbers every function after it, so the rewrite walks every instruction of every
// body and re-encodes the function indices (call, return_call, ref.func), exports, start, elements and
// global initialisers; the `name` custom section is dropped (its indices would be stale).

const ENOSYS = 52;

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, pos = 0, readonly end = b.length) { this.pos = pos; }
  byte(): number {
    if (this.pos >= this.end) throw new Error('unexpected end of section');
    return this.b[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new Error('LEB128 too long');
    }
  }
  /** Skips a signed LEB128 of any width. */
  skipLeb(): void { while (this.byte() & 0x80) { /* continuation */ } }
  skip(n: number): void {
    if (this.pos + n > this.end) throw new Error('unexpected end of section');
    this.pos += n;
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.skip(n);
    return s;
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;
  bytes(b: Uint8Array | number[]): void {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    this.parts.push(u);
    this.size += u.length;
  }
  u32(n: number): void { this.bytes(leb(n)); }
  get length(): number { return this.size; }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

interface FuncImport { index: number; module: string; name: string; type: number; start: number; end: number }

/** The function indices a body or section refers to, mapped old → new. */
type Remap = (old: number) => number;

/** Copies one constant/initialiser or function-body expression, re-encoding function indices. */
function copyExpr(r: Reader, w: Writer, remap: Remap, untilEnd: number | null): void {
  let depth = 0;
  let copyFrom = r.pos;
  const flush = (to: number) => { if (to > copyFrom) w.bytes(r.b.subarray(copyFrom, to)); };
  const funcRef = () => {
    const at = r.pos;
    const idx = r.u32();
    flush(at);
    w.u32(remap(idx));
    copyFrom = r.pos;
  };
  for (;;) {
    if (untilEnd !== null && r.pos >= untilEnd) break;
    const op = r.byte();
    if (op === 0x0b) {
      if (depth === 0) break;
      depth--;
      continue;
    }
    switch (op) {
      case 0x02: case 0x03: case 0x04: {
        depth++;
        const t = r.b[r.pos]!;
        if (t === 0x40 || t === 0x7f || t === 0x7e || t === 0x7d || t === 0x7c || t === 0x7b || t === 0x70 || t === 0x6f) r.skip(1);
        else r.skipLeb();
        break;
      }
      case 0x0c: case 0x0d: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: r.u32(); break;
      case 0x0e: { const n = r.u32(); for (let i = 0; i <= n; i++) r.u32(); break; }
      case 0x10: case 0x12: funcRef(); break;
      case 0xd2: funcRef(); break;
      case 0x11: case 0x13: r.u32(); r.u32(); break;
      case 0x1c: { const n = r.u32(); r.skip(n); break; }
      case 0x3f: case 0x40: r.u32(); break;
      case 0x41: case 0x42: r.skipLeb(); break;
      case 0x43: r.skip(4); break;
      case 0x44: r.skip(8); break;
      case 0xd0: r.skip(1); break;
      case 0xfc: {
        const sub = r.u32();
        if (sub <= 7) break;
        if (sub === 8) { r.u32(); r.skip(1); } else if (sub === 10) r.skip(2);
        else if (sub === 11) r.skip(1);
        else if (sub === 12 || sub === 14) { r.u32(); r.u32(); } else if (sub <= 17) r.u32();
        else throw new Error(`unsupported instruction 0xfc ${sub}`);
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { r.u32(); r.u32(); break; }
        if (op <= 0x01 || op === 0x05 || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1) break;
        throw new Error(`unsupported instruction 0x${op.toString(16)} at byte ${r.pos - 1}`);
    }
  }
  flush(r.pos);
}

function functionTypes(bytes: Uint8Array, start: number, end: number): { results: number[] }[] {
  const r = new Reader(bytes, start, end);
  const n = r.u32();
  const out: { results: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    if (r.byte() !== 0x60) throw new Error('bad function type');
    r.skip(r.u32());
    const m = r.u32();
    const results: number[] = [];
    for (let j = 0; j < m; j++) results.push(r.byte());
    out.push({ results });
  }
  return out;
}

/**
 * Returns the module with every function import that `linked(module, name)` rejects turned into a local
 * function returning ENOSYS (or nothing, for a function without results), plus the names replaced.
 */
export function stubUnlinkedImports(bytes: Uint8Array, linked: (module: string, name: string) => boolean): { code: Uint8Array; stubbed: string[] } {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('not a Wasm module');
  const sections: { id: number; start: number; end: number; headerStart: number }[] = [];
  const top = new Reader(bytes, 8);
  while (top.pos < bytes.length) {
    const headerStart = top.pos;
    const id = top.byte();
    const size = top.u32();
    sections.push({ id, start: top.pos, end: top.pos + size, headerStart });
    top.skip(size);
  }
  const find = (id: number) => sections.find((s) => s.id === id);
  const importSec = find(2);
  if (!importSec) return { code: bytes, stubbed: [] };

  const funcImports: FuncImport[] = [];
  {
    const r = new Reader(bytes, importSec.start, importSec.end);
    const n = r.u32();
    let fi = 0;
    for (let i = 0; i < n; i++) {
      const start = r.pos;
      const module = r.name();
      const name = r.name();
      const kind = r.byte();
      if (kind === 0) { funcImports.push({ index: fi++, module, name, type: r.u32(), start, end: 0 }); funcImports[funcImports.length - 1]!.end = r.pos; } else if (kind === 1) { r.skip(1); const f = r.byte(); r.u32(); if (f & 1) r.u32(); } else if (kind === 2) { const f = r.byte(); r.u32(); if (f & 1) r.u32(); } else if (kind === 3) r.skip(2);
      else throw new Error(`unknown import kind ${kind}`);
    }
  }
  const removed = funcImports.filter((f) => !linked(f.module, f.name));
  if (removed.length === 0) return { code: bytes, stubbed: [] };
  const removedSet = new Set(removed.map((f) => f.index));
  const importedCount = funcImports.length;
  const funcSec = find(3);
  const definedCount = funcSec ? new Reader(bytes, funcSec.start, funcSec.end).u32() : 0;
  const keptImports = importedCount - removed.length;
  // old index → new index: kept imports shift down past removed ones; defined functions shift by the
  // number removed; removed imports become new functions appended after every defined one.
  const shiftBefore = new Int32Array(importedCount + 1);
  for (let i = 0; i < importedCount; i++) shiftBefore[i + 1] = shiftBefore[i]! + (removedSet.has(i) ? 1 : 0);
  const stubIndex = new Map<number, number>();
  removed.forEach((f, k) => stubIndex.set(f.index, keptImports + definedCount + k));
  const remap: Remap = (old) => {
    if (old >= importedCount) return old - removed.length;
    const s = stubIndex.get(old);
    return s ?? old - shiftBefore[old]!;
  };

  const types = functionTypes(bytes, find(1)!.start, find(1)!.end);
  const out = new Writer();
  out.bytes(bytes.subarray(0, 8));
  const emit = (id: number, body: Writer | Uint8Array) => {
    const b = body instanceof Writer ? body.finish() : body;
    out.bytes([id]);
    out.u32(b.length);
    out.bytes(b);
  };
  for (const s of sections) {
    const r = new Reader(bytes, s.start, s.end);
    switch (s.id) {
      case 0: {
        if (r.name() === 'name') break; // stale indices: drop
        emit(0, bytes.subarray(s.start, s.end));
        break;
      }
      case 2: {
        const w = new Writer();
        const n = r.u32();
        w.u32(n - removed.length);
        const body = bytes.subarray(r.pos, s.end);
        let from = 0;
        for (const f of removed) {
          w.bytes(body.subarray(from, f.start - r.pos));
          from = f.end - r.pos;
        }
        w.bytes(body.subarray(from));
        emit(2, w);
        break;
      }
      case 3: {
        const w = new Writer();
        r.u32();
        w.u32(definedCount + removed.length);
        w.bytes(bytes.subarray(r.pos, s.end));
        for (const f of removed) w.u32(f.type);
        emit(3, w);
        break;
      }
      case 6: {
        const w = new Writer();
        const n = r.u32();
        w.u32(n);
        for (let i = 0; i < n; i++) {
          const at = r.pos;
          r.skip(2);
          w.bytes(bytes.subarray(at, r.pos));
          copyExpr(r, w, remap, null);
        }
        emit(6, w);
        break;
      }
      case 7: {
        const w = new Writer();
        const n = r.u32();
        w.u32(n);
        for (let i = 0; i < n; i++) {
          const at = r.pos;
          r.skip(r.u32());
          const kind = r.byte();
          w.bytes(bytes.subarray(at, r.pos));
          const idx = r.u32();
          w.u32(kind === 0 ? remap(idx) : idx);
        }
        emit(7, w);
        break;
      }
      case 8: {
        const w = new Writer();
        w.u32(remap(r.u32()));
        emit(8, w);
        break;
      }
      case 9: {
        const w = new Writer();
        const n = r.u32();
        w.u32(n);
        for (let i = 0; i < n; i++) {
          const flags = r.u32();
          w.u32(flags);
          const copyTo = (fn: () => void) => { const at = r.pos; fn(); w.bytes(bytes.subarray(at, r.pos)); };
          if (flags & 2 && !(flags & 1)) copyTo(() => r.u32()); // table index
          if (!(flags & 1)) copyExpr(r, w, remap, null); // active offset
          if (flags & 3) copyTo(() => r.byte()); // elemkind / reftype
          const m = r.u32();
          w.u32(m);
          for (let j = 0; j < m; j++) {
            if (flags & 4) copyExpr(r, w, remap, null);
            else w.u32(remap(r.u32()));
          }
        }
        emit(9, w);
        break;
      }
      case 10: {
        const w = new Writer();
        const n = r.u32();
        w.u32(n + removed.length);
        for (let i = 0; i < n; i++) {
          const size = r.u32();
          const end = r.pos + size;
          const fb = new Writer();
          const localsAt = r.pos;
          const groups = r.u32();
          for (let g = 0; g < groups; g++) { r.u32(); r.byte(); }
          fb.bytes(bytes.subarray(localsAt, r.pos));
          copyExpr(r, fb, remap, end);
          if (r.pos !== end) throw new Error(`function body ${i} did not end where its size says`);
          w.u32(fb.length);
          w.bytes(fb.finish());
        }
        for (const f of removed) {
          const results = types[f.type]?.results ?? [];
          let body: number[];
          if (results.length === 0) body = [0x00, 0x0b];
          else if (results.length === 1 && results[0] === 0x7f) body = [0x00, 0x41, ...leb(ENOSYS), 0x0b];
          else throw new Error(`cannot stub ${f.module}.${f.name}: unsupported result types`);
          w.u32(body.length);
          w.bytes(body);
        }
        emit(10, w);
        break;
      }
      default:
        out.bytes(bytes.subarray(s.headerStart, s.end));
    }
  }
  return { code: out.finish(), stubbed: removed.map((f) => `${f.module}.${f.name}`) };
}
