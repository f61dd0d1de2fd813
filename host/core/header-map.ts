// An HTTP header map with Envoy's semantics: lower-case names, insertion order, repeated entries allowed,
// `replace` removes every copy and appends (so the header moves to the end), lookups return the first value.
import { utf8Length } from './text.ts';

export class HeaderMap {
  entries: [string, string][];

  constructor(entries: [string, string][] = []) {
    this.entries = entries.map(([k, v]) => [k.toLowerCase(), v]);
  }

  get(name: string): string | undefined {
    const key = name.toLowerCase();
    for (const e of this.entries) if (e[0] === key) return e[1];
    return undefined;
  }

  /** Repeated values joined with "," as Envoy's `request.headers` property does. */
  getJoined(name: string): string | undefined {
    const key = name.toLowerCase();
    let out: string | undefined;
    for (const e of this.entries) if (e[0] === key) out = out === undefined ? e[1] : `${out},${e[1]}`;
    return out;
  }

  has(name: string): boolean { return this.get(name) !== undefined; }

  add(name: string, value: string): void { this.entries.push([name.toLowerCase(), value]); }

  replace(name: string, value: string): void {
    this.remove(name);
    this.entries.push([name.toLowerCase(), value]);
  }

  /** Sets the value of the first entry in place (dropping later copies), or appends when absent. */
  setInPlace(name: string, value: string): void {
    const key = name.toLowerCase();
    const i = this.entries.findIndex((e) => e[0] === key);
    if (i < 0) { this.entries.push([key, value]); return; }
    this.entries[i] = [key, value];
    this.entries = this.entries.filter((e, j) => j <= i || e[0] !== key);
  }

  remove(name: string): void {
    const key = name.toLowerCase();
    this.entries = this.entries.filter((e) => e[0] !== key);
  }

  /** Envoy's `get_header_map_size`: the byte sum of names and values. */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.entries) n += utf8Length(k) + utf8Length(v);
    return n;
  }

  clone(): HeaderMap { return new HeaderMap(this.entries.map(([k, v]) => [k, v])); }
}
