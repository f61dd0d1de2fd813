// The downstream remote address as Envoy's connection manager computes it with its defaults
// (use_remote_address false, no trusted hops): the last `x-forwarded-for` entry when it is a valid IP
// (reported with port 0, as Envoy parses it), else the socket peer. Checked in Envoy 1.40: `10.1.2.3` →
// "10.1.2.3:0"; `10.1.2.3, 192.168.1.1` → 192.168.1.1; `nope` → the socket peer.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

function isIpv6(s: string): boolean {
  if (!s.includes(':') || !IPV6.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const tail = groups[groups.length - 1] ?? '';
  const v4Tail = tail.includes('.');
  if (v4Tail && !IPV4.test(tail)) return false;
  const count = groups.length + (v4Tail ? 1 : 0);
  if (groups.some((g, i) => !(v4Tail && i === groups.length - 1) && !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** `host:port` of the downstream remote address for a request with this `x-forwarded-for` (or none). */
export function remoteAddressOf(socketPeer: string, xff: string | undefined): string {
  if (xff === undefined) return socketPeer;
  const last = xff.slice(xff.lastIndexOf(',') + 1).trim();
  if (IPV4.test(last)) return `${last}:0`;
  if (isIpv6(last)) return `[${last}]:0`;
  return socketPeer;
}
