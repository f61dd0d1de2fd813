// The session cookie: tokens and times sealed with AES-GCM, split over numbered cookies when larger
// than one cookie may be (browsers keep ~4 KB per cookie). Claim header values are computed at login
// and stored, so an authenticated request only decrypts and copies bytes.
import { BytesView } from "../../sdk";
import { Plan } from "./config";
import { findNumbered, Span } from "./cookie-scan";
import { RecordReader, RecordWriter } from "./record";
import { openValuePtr, sealValue } from "./sealed";

/** Characters of sealed value per cookie (name, attributes and browser overhead stay under 4096). */
export const CHUNK_CHARS: i32 = 3800;
/** Sessions larger than this many cookies are refused (at login) or ignored (when sent). */
export const MAX_CHUNKS: i32 = 8;
const VERSION: u32 = 1;

export class Session {
  /** Login time (seconds): sessionLifetime counts from here, across refreshes. */
  createdS: i64 = 0;
  /** When the forwarded token expires; after it the session needs a refresh. */
  expiresS: i64 = 0;
  idToken: string = "";
  accessToken: string = "";
  refreshToken: string = "";
  claimValues: Array<string> = new Array<string>();
}

/** A decrypted session: its plaintext and where each field lies in it (read without copying). */
export class SessionView {
  createdS: i64 = 0;
  expiresS: i64 = 0;
  idAt: i32 = 0;
  idLen: i32 = 0;
  accessAt: i32 = 0;
  accessLen: i32 = 0;
  refreshLen: i32 = 0;
  refreshAt: i32 = 0;
  claimAt: StaticArray<i32>;
  claimLen: StaticArray<i32>;

  constructor(public data: Uint8Array, claims: i32) {
    this.claimAt = new StaticArray<i32>(claims);
    this.claimLen = new StaticArray<i32>(claims);
  }

  text(at: i32, len: i32): string {
    return String.UTF8.decodeUnsafe(this.data.dataStart + <usize>at, <usize>len);
  }
  get idToken(): string { return this.text(this.idAt, this.idLen); }
  get accessToken(): string { return this.text(this.accessAt, this.accessLen); }
  get refreshToken(): string { return this.text(this.refreshAt, this.refreshLen); }
}

/** The sealed cookie values in order ([] when the session cannot be sealed or is too large). */
export function sealSession(plan: Plan, s: Session): Array<string> {
  const w = new RecordWriter().u8(VERSION).u64(<u64>s.createdS).u64(<u64>s.expiresS)
    .text(s.idToken).text(s.accessToken).text(s.refreshToken).u8(s.claimValues.length);
  for (let i = 0; i < s.claimValues.length; i++) w.text(s.claimValues[i]);
  const value = sealValue(plan.keys!.session, plan.sessionAad, w.finish());
  const out = new Array<string>();
  if (value.length == 0 || value.length > CHUNK_CHARS * MAX_CHUNKS) return out;
  for (let at = 0; at < value.length; at += CHUNK_CHARS) out.push(value.substring(at, min(at + CHUNK_CHARS, value.length)));
  return out;
}

/** Where the session is in the request's Cookie header: its chunks counted, joined when more than one. */
export class LocatedSession {
  /** Consecutive chunks present (0 = no session cookie). */
  count: i32 = 0;
  /** More or larger chunks than any session of ours: ignored, and cleared on the next answer. */
  oversized: bool = false;
  ptr: usize = 0;
  len: i32 = 0;
  /** Owns the joined bytes when the session spans several cookies (keeps them alive). */
  joined: Uint8Array | null = null;
}

// Filled by every locateSession call (the spans are read before it returns): no allocation per request.
const chunkSpans = newSpans(MAX_CHUNKS + 1);

function newSpans(n: i32): StaticArray<Span> {
  const spans = new StaticArray<Span>(n);
  for (let i = 0; i < n; i++) unchecked(spans[i] = new Span());
  return spans;
}

/** `stem` = the encoded "<prefix>_session_"; chunks 0..MAX_CHUNKS are looked for (one past the last allowed). */
export function locateSession(stem: ArrayBuffer, cookie: BytesView | null): LocatedSession {
  const out = new LocatedSession();
  if (cookie === null) return out;
  const spans = chunkSpans;
  findNumbered(cookie.ptr, cookie.length, stem, spans);
  let total = 0;
  while (out.count < MAX_CHUNKS && unchecked(spans[out.count]).found) {
    const len = unchecked(spans[out.count]).len;
    out.count++;
    if (len > CHUNK_CHARS) { out.oversized = true; return out; }
    total += len;
  }
  // One more numbered chunk than allowed means a session no login of ours could have written.
  if (out.count == MAX_CHUNKS && unchecked(spans[MAX_CHUNKS]).found) { out.oversized = true; return out; }
  if (out.count == 0) return out;
  if (out.count == 1) { out.ptr = unchecked(spans[0]).ptr; out.len = total; return out; }
  const joined = new Uint8Array(total);
  let w = 0;
  for (let i = 0; i < out.count; i++) {
    const part = unchecked(spans[i]);
    memory.copy(joined.dataStart + <usize>w, part.ptr, <usize>part.len);
    w += part.len;
  }
  out.joined = joined;
  out.ptr = joined.dataStart;
  out.len = total;
  return out;
}

/** Decrypts and decodes; null for anything tampered, foreign, truncated or of another version. */
export function openSession(plan: Plan, ptr: usize, len: i32): SessionView | null {
  if (len == 0) return null;
  const plain = openValuePtr(plan.keys!.session, plan.sessionAad, ptr, len);
  if (plain === null) return null;
  const r = new RecordReader(plain);
  if (r.u8() != VERSION) return null;
  const claims = plan.claimHeaders.length;
  const v = new SessionView(plain, claims);
  v.createdS = <i64>r.u64();
  v.expiresS = <i64>r.u64();
  r.field(); v.idAt = r.at; v.idLen = r.len;
  r.field(); v.accessAt = r.at; v.accessLen = r.len;
  r.field(); v.refreshAt = r.at; v.refreshLen = r.len;
  // A session written under a different claimsToHeaders list is treated as foreign.
  if (<i32>r.u8() != claims) return null;
  for (let i = 0; i < claims; i++) {
    r.field();
    unchecked(v.claimAt[i] = r.at);
    unchecked(v.claimLen[i] = r.len);
  }
  return r.atEnd ? v : null;
}
