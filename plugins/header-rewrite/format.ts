// Envoy's `%...%` header-value formatters, compiled once at configure time into literal and command
// parts. Supported: %REQ(name[?alt])[:max]%, %RESP(...)% (response side only),
// %DOWNSTREAM_REMOTE_ADDRESS[_WITHOUT_PORT]%, %DOWNSTREAM_LOCAL_ADDRESS[_WITHOUT_PORT]%, %START_TIME%,
// %PROTOCOL%, and %% for a literal %. Anything else is a configuration error, as in Envoy.
import { asciiLower, headerValueProblem } from "../../sdk";
import { Problems } from "./problems";

export const enum Cmd { Literal, Req, Resp, RemoteAddr, RemoteAddrNoPort, LocalAddr, LocalAddrNoPort, StartTime, Protocol }

export class Part {
  constructor(public cmd: Cmd, public text: string, public alt: string, public max: i32) {}
}

/** Where command values come from during a request (live maps, snapshots, properties). */
export abstract class FormatSource {
  abstract reqHeader(name: string): string | null;
  abstract respHeader(name: string): string | null;
  abstract value(cmd: Cmd): string | null;
}

export class Template {
  /** A template without commands, encoded once (no per-request encoding). */
  literalBuf: ArrayBuffer | null;
  constructor(public parts: Part[], public literal: string | null) {
    this.literalBuf = literal === null ? null : String.UTF8.encode(literal);
  }

  /** The value for this request; a missing command value counts as empty (Envoy drops an empty result). */
  eval(src: FormatSource): string {
    const lit = this.literal;
    if (lit !== null) return lit;
    let out = "";
    for (let i = 0; i < this.parts.length; i++) {
      const p = unchecked(this.parts[i]);
      if (p.cmd == Cmd.Literal) { out += p.text; continue; }
      let v: string | null = null;
      if (p.cmd == Cmd.Req || p.cmd == Cmd.Resp) {
        v = p.cmd == Cmd.Req ? src.reqHeader(p.text) : src.respHeader(p.text);
        if (v === null && p.alt.length > 0) v = p.cmd == Cmd.Req ? src.reqHeader(p.alt) : src.respHeader(p.alt);
      } else {
        v = src.value(p.cmd);
      }
      if (v === null) continue;
      if (p.max >= 0 && v.length > p.max) v = v.substring(0, p.max);
      out += v;
    }
    return trimOws(out);
  }

  /** Request header names this template reads with %REQ(..)% (snapshotted for the response side). */
  reqNames(out: string[]): void {
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i];
      if (p.cmd != Cmd.Req) continue;
      if (!out.includes(p.text)) out.push(p.text);
      if (p.alt.length > 0 && !out.includes(p.alt)) out.push(p.alt);
    }
  }
}

/** Header values lose surrounding spaces and tabs, as Envoy stores them. */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isOws(s.charCodeAt(a))) a++;
  while (b > a && isOws(s.charCodeAt(b - 1))) b--;
  return a == 0 && b == s.length ? s : s.substring(a, b);
}

function isOws(c: i32): bool { return c == 0x20 || c == 0x09; }

/** Compiles `text`; `responseSide` allows %RESP(..)%. Null (with a problem) on an error. */
export function compileTemplate(text: string, field: string, responseSide: bool, p: Problems): Template | null {
  const bad = headerValueProblem(text);
  if (bad !== null) { p.fail(field, bad); return null; }
  const parts = new Array<Part>();
  let lit = "";
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c != 0x25) { lit += String.fromCharCode(c); i++; continue; }
    if (i + 1 < text.length && text.charCodeAt(i + 1) == 0x25) { lit += "%"; i += 2; continue; }
    const end = text.indexOf("%", i + 1);
    if (end < 0) { p.fail(field, "has a lone % at offset " + i.toString() + " (write %% for a literal %)"); return null; }
    const part = compileCommand(text.substring(i + 1, end), field, responseSide, p);
    if (part === null) return null;
    if (lit.length > 0) { parts.push(new Part(Cmd.Literal, lit, "", -1)); lit = ""; }
    parts.push(part);
    i = end + 1;
  }
  if (parts.length == 0) return new Template(parts, trimOws(lit));
  if (lit.length > 0) parts.push(new Part(Cmd.Literal, lit, "", -1));
  return new Template(parts, null);
}

function compileCommand(cmd: string, field: string, responseSide: bool, p: Problems): Part | null {
  if (cmd == "DOWNSTREAM_REMOTE_ADDRESS") return new Part(Cmd.RemoteAddr, "", "", -1);
  if (cmd == "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT") return new Part(Cmd.RemoteAddrNoPort, "", "", -1);
  if (cmd == "DOWNSTREAM_LOCAL_ADDRESS") return new Part(Cmd.LocalAddr, "", "", -1);
  if (cmd == "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT") return new Part(Cmd.LocalAddrNoPort, "", "", -1);
  if (cmd == "START_TIME") return new Part(Cmd.StartTime, "", "", -1);
  if (cmd == "PROTOCOL") return new Part(Cmd.Protocol, "", "", -1);
  const isReq = cmd.startsWith("REQ(");
  const isResp = cmd.startsWith("RESP(");
  if (!isReq && !isResp) { p.fail(field, "uses unsupported formatter %" + cmd + "%"); return null; }
  if (isResp && !responseSide) { p.fail(field, "uses %RESP(..)% in a request header"); return null; }
  const open = cmd.indexOf("(");
  const close = cmd.indexOf(")");
  if (close < 0) { p.fail(field, "has an unclosed ( in %" + cmd + "%"); return null; }
  let max = -1;
  const tail = cmd.substring(close + 1);
  if (tail.length > 0) {
    if (!tail.startsWith(":") || tail.length == 1 || tail.length > 6) { p.fail(field, "has a bad length suffix in %" + cmd + "%"); return null; }
    max = 0;
    for (let j = 1; j < tail.length; j++) {
      const d = tail.charCodeAt(j) - 0x30;
      if (d < 0 || d > 9) { p.fail(field, "has a bad length suffix in %" + cmd + "%"); return null; }
      max = max * 10 + d;
    }
  }
  const inner = cmd.substring(open + 1, close);
  const q = inner.indexOf("?");
  const name = asciiLower(q < 0 ? inner : inner.substring(0, q));
  const alt = q < 0 ? "" : asciiLower(inner.substring(q + 1));
  if (name.length == 0 || (q >= 0 && alt.length == 0)) { p.fail(field, "has an empty header name in %" + cmd + "%"); return null; }
  return new Part(isReq ? Cmd.Req : Cmd.Resp, name, alt, max);
}
