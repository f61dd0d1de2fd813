// An HTTP header map with Envoy's semantics: lower-case names, insertion order, repeated entries allowed,
// `replace` removes every copy and appends (so the header moves to the end), lookups return the first value.
import { utf8Length } from './text.ts';

export class HeaderMap {
  entries: [string, string][];
  /**
   * Some value may hold NUL, CR or LF (which the codec refuses when forwarding). Values are checked as they
   * are added or set, so a request that nobody edited is never scanned again.
   */
  suspect = false;

  constructor(entries: [string, string][] = []) {
    this.entries = entries.map(([k, v]) => [lower(k), v]);
  }

  /** A map over `entries` as they are (names already lower-case); the array is taken, not copied. */
  static adopt(entries: [string, string][]): HeaderMap {
    const m = Object.create(HeaderMap.prototype) as HeaderMap;
    m.entries = entries;
    m.suspect = false;
    return m;
  }

  /** Replaces every entry (proxy_set_header_map_pairs); names are lower-cased, values checked. */
  setEntries(entries: [string, string][]): void {
    this.entries = entries.map(([k, v]) => [lower(k), this.checked(v)]);
  }

  /** Records whether `v` holds a byte the codec refuses; returns it. */
  private checked(v: string): string {
    if (!this.suspect && isInvalidHeaderValue(v)) this.suspect = true;
    return v;
  }

  get(name: string): string | undefined {
    const key = lower(name);
    const es = this.entries;
    for (let i = 0; i < es.length; i++) if (es[i]![0] === key) return es[i]![1];
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

  add(name: string, value: string): void { this.entries.push([lower(name), this.checked(value)]); }

  /** The host's own entries: a lower-case name and a value known to be clean, appended as they are. */
  addTrusted(name: string, value: string): void { this.entries.push([name, value]); }

  replace(name: string, value: string): void {
    this.remove(name);
    this.entries.push([lower(name), this.checked(value)]);
  }

  /** Sets the value of the first entry in place (dropping later copies), or appends when absent. */
  setInPlace(name: string, value: string): void {
    const key = name.toLowerCase();
    this.checked(value);
    const i = this.entries.findIndex((e) => e[0] === key);
    if (i < 0) { this.entries.push([key, value]); return; }
    this.entries[i] = [key, value];
    this.entries = this.entries.filter((e, j) => j <= i || e[0] !== key);
  }

  remove(name: string): void {
    const key = lower(name);
    const es = this.entries;
    let i = 0;
    while (i < es.length && es[i]![0] !== key) i++;
    if (i === es.length) return; // nothing to remove: keep the array
    let j = i;
    for (; i < es.length; i++) if (es[i]![0] !== key) es[j++] = es[i]!;
    es.length = j;
  }

  /** Envoy's `get_header_map_size`: the byte sum of names and values. */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.entries) n += utf8Length(k) + utf8Length(v);
    return n;
  }

  clone(): HeaderMap {
    const m = new HeaderMap(this.entries.map(([k, v]) => [k, v]));
    m.suspect = this.suspect;
    return m;
  }
}

/**
 * True if a value holds NUL, CR or LF. Three indexOf scans (memchr-like in V8) rather than a regex: values
 * here are tokens and cookies of a kilobyte or more, set on every request, and the regex costs ~30× more.
 */
export function isInvalidHeaderValue(v: string): boolean {
  return v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\0') >= 0;
}

/** Lower-cases a header name; names are nearly always lower-case already, so check before copying. */
function lower(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}
