// What the upstream receives for an authenticated request: the chosen token in the configured header,
// the claim headers, and the Cookie header without the plugin's cookies. Bytes are copied straight out
// of the decrypted session: no string decoding on this path.
import { BytesView, requestHeaders } from "../../sdk";
import { ForwardToken } from "./config";
import { withoutPrefixed } from "./cookie-scan";
import { OidcRoot } from "./root";
import { SessionView } from "./session";

const COOKIE = String.UTF8.encode("cookie");
const EMPTY = new ArrayBuffer(0);

// Reused for every header value built here: the host copies a value as soon as it is set.
let joined = new ArrayBuffer(0);

/** prefix ‖ data[at, at+len) in the reused buffer. */
function concat(prefix: ArrayBuffer, data: Uint8Array, at: i32, len: i32): BytesView {
  const n = prefix.byteLength + len;
  if (joined.byteLength < n) joined = new ArrayBuffer(n);
  const out = changetype<usize>(joined);
  memory.copy(out, changetype<usize>(prefix), <usize>prefix.byteLength);
  memory.copy(out + <usize>prefix.byteLength, data.dataStart + <usize>at, <usize>len);
  return new BytesView(out, n);
}

export function applyForward(root: OidcRoot, s: SessionView, cookie: BytesView | null): void {
  const plan = root.plan!;
  if (plan.forwardToken != ForwardToken.None) {
    const access = plan.forwardToken == ForwardToken.AccessToken;
    const at = access ? s.accessAt : s.idAt;
    const len = access ? s.accessLen : s.idLen;
    requestHeaders.replace(root.forwardName, concat(root.forwardPrefix, s.data, at, len));
  }
  for (let i = 0; i < plan.claimHeaders.length; i++) {
    const len = unchecked(s.claimLen[i]);
    // A client-sent copy is overwritten, or removed when the claim was absent or not printable.
    if (len > 0) requestHeaders.replace(root.claimNames[i], concat(EMPTY, s.data, unchecked(s.claimAt[i]), len));
    else requestHeaders.remove(root.claimNames[i]);
  }
  if (cookie !== null) {
    const rest = withoutPrefixed(cookie.ptr, cookie.length, root.cookiePrefix);
    if (rest === null) requestHeaders.remove(COOKIE);
    else requestHeaders.replace(COOKIE, rest);
  }
}
