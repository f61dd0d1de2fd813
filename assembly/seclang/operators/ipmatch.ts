// @ipMatch (comma-separated addresses / CIDR blocks, IPv4 and IPv6) and @ipMatchFromFile (one per line,
// `#` comments). The value must be one address; a value that is not an address does not match.
import { Bytes, Captures, DataFiles, Operator, OperatorResult, latin1 } from '../types';

/** A parsed address: 4 or 16 bytes, or null. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is IPv4, as Go's net does. */
export function parseIp(s: string): Uint8Array | null {
  if (!s.includes(':')) return parseIpv4(s);
  const v6 = parseIpv6(s);
  if (v6 == null || !isV4Mapped(v6)) return v6;
  return v6.slice(12);
}

function isV4Mapped(a: Uint8Array): bool {
  for (let i = 0; i < 10; i++) if (a[i] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

function parseIpv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length != 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    // Leading zeros are refused (they read as octal in some parsers; Go's net refuses them too).
    if (p.length == 0 || p.length > 3 || (p.length > 1 && p.charCodeAt(0) == 0x30)) return null;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return null;
      v = v * 10 + (c - 0x30);
    }
    if (v > 255) return null;
    out[i] = u8(v);
  }
  return out;
}

function hexGroup(g: string): i32 {
  if (g.length == 0 || g.length > 4) return -1;
  let v = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g.charCodeAt(i);
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** RFC 4291 text forms: eight groups, one `::`, and an optional trailing dotted IPv4. */
function parseIpv6(s: string): Uint8Array | null {
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const head = dbl >= 0 ? s.substring(0, dbl) : s;
  const tail = dbl >= 0 ? s.substring(dbl + 2) : '';
  const words: i32[] = [];
  const tailWords: i32[] = [];
  if (!groups(head, words, dbl < 0)) return null;
  if (dbl >= 0 && !groups(tail, tailWords, true)) return null;
  const total = words.length + tailWords.length;
  if (dbl < 0 ? total != 8 : total > 7) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < words.length; i++) {
    out[2 * i] = u8(words[i] >> 8);
    out[2 * i + 1] = u8(words[i]);
  }
  const base = 8 - tailWords.length;
  for (let i = 0; i < tailWords.length; i++) {
    out[2 * (base + i)] = u8(tailWords[i] >> 8);
    out[2 * (base + i) + 1] = u8(tailWords[i]);
  }
  return out;
}

/** Parses `a:b:c` (empty text = no groups) into 16-bit words; the last may be a dotted IPv4 if allowed. */
function groups(s: string, out: i32[], v4Last: bool): bool {
  if (s.length == 0) return true;
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i == parts.length - 1 && v4Last && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (v4 == null) return false;
      out.push((i32(v4[0]) << 8) | v4[1]);
      out.push((i32(v4[2]) << 8) | v4[3]);
      return true;
    }
    const g = hexGroup(p);
    if (g < 0) return false;
    out.push(g);
  }
  return true;
}

class Block {
  constructor(public addr: Uint8Array, public bits: i32) {}
  contains(ip: Uint8Array): bool {
    if (ip.length != this.addr.length) return false;
    let bits = this.bits;
    for (let i = 0; i < ip.length && bits > 0; i++) {
      const mask: u32 = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((u32(ip[i]) & mask) != (u32(this.addr[i]) & mask)) return false;
      bits -= 8;
    }
    return true;
  }
}

/** `addr` or `addr/bits`; an error text, or "" after appending to `out`. */
function parseBlock(entry: string, out: Block[]): string {
  const slash = entry.indexOf('/');
  const addrText = slash < 0 ? entry : entry.substring(0, slash);
  const addr = parseIp(addrText);
  if (addr == null) return '"' + entry + '" is not an IP address or CIDR block';
  const maxBits = addr.length * 8;
  // A mapped block (`::ffff:10.0.0.0/104`) counts its prefix over 128 bits; as IPv4 it covers bits-96.
  const mapped = addr.length == 4 && addrText.includes(':');
  let bits = maxBits;
  if (slash >= 0) {
    const b = entry.substring(slash + 1);
    if (b.length == 0 || b.length > 3) return '"' + entry + '": bad prefix length';
    bits = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return '"' + entry + '": bad prefix length';
      bits = bits * 10 + (c - 0x30);
    }
    if (mapped) bits = bits > 128 ? 129 : max(0, bits - 96);
    if (bits > maxBits) return '"' + entry + '": prefix longer than the address';
  }
  out.push(new Block(addr, bits));
  return '';
}

class IpMatch extends Operator {
  constructor(private blocks: Block[]) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    if (value.length > 64) return false;
    const ip = parseIp(latin1(value));
    if (ip == null) return false;
    for (let i = 0; i < this.blocks.length; i++) if (this.blocks[i].contains(ip)) return true;
    return false;
  }
}

export function compileIpMatch(param: string): OperatorResult {
  const blocks: Block[] = [];
  const parts = param.split(',');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    if (p.length == 0) continue;
    const err = parseBlock(p, blocks);
    if (err.length > 0) return OperatorResult.fail('@ipMatch: ' + err);
  }
  if (blocks.length == 0) return OperatorResult.fail('@ipMatch needs at least one address');
  return OperatorResult.ok(new IpMatch(blocks));
}

export function compileIpMatchFromFile(param: string, files: DataFiles): OperatorResult {
  const name = param.trim();
  const text = files.get(name);
  if (text == null) return OperatorResult.fail('@ipMatchFromFile: data file not found: ' + name);
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l.length == 0 || l.charCodeAt(0) == 0x23) continue;
    const err = parseBlock(l, blocks);
    if (err.length > 0) return OperatorResult.fail('@ipMatchFromFile: ' + name + ' line ' + (i + 1).toString() + ': ' + err);
  }
  if (blocks.length == 0) return OperatorResult.fail('@ipMatchFromFile: no addresses in ' + name);
  return OperatorResult.ok(new IpMatch(blocks));
}
