// CIDR blocks of ipBlocks / remoteIpBlocks / source.ip / remote.ip / destination.ip, parsed at configure
// time ("10.0.0.0/8", "2001:db8::/32", or a bare address = a single host, as Istio reads them).
import { parseIp } from "../../assembly/seclang/operators/ipmatch";

export class Cidr {
  constructor(public addr: Uint8Array, public bits: i32) {}

  /** `text` as a block, or null when it is not an address or a block. */
  static parse(text: string): Cidr | null {
    const slash = text.indexOf("/");
    const addr = parseIp(slash < 0 ? text : text.substring(0, slash));
    if (addr === null) return null;
    const max = addr.length * 8;
    if (slash < 0) return new Cidr(addr, max);
    const b = text.substring(slash + 1);
    if (b.length == 0 || b.length > 3) return null;
    let bits = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
      bits = bits * 10 + (c - 0x30);
    }
    return bits > max ? null : new Cidr(addr, bits);
  }

  contains(ip: Uint8Array | null): bool {
    if (ip === null || ip.length != this.addr.length) return false;
    let bits = this.bits;
    for (let i = 0; i < ip.length && bits > 0; i++) {
      const mask: u32 = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((<u32>ip[i] & mask) != (<u32>this.addr[i] & mask)) return false;
      bits -= 8;
    }
    return true;
  }
}

/** The address of an Envoy "ip:port" / "[v6]:port" property value, or null. */
export function ipOfAddress(a: string | null): Uint8Array | null {
  if (a === null) return null;
  if (a.startsWith("[")) {
    const end = a.indexOf("]");
    return end < 0 ? null : parseIp(a.substring(1, end));
  }
  const colon = a.lastIndexOf(":");
  return parseIp(colon < 0 ? a : a.substring(0, colon));
}
