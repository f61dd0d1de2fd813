// Macros `%{tx.score}`, `%{MATCHED_VAR}`, `%{request_headers.host}`, `%{rule.id}`: compiled once into
// literal and variable parts; expanded per evaluation by the transaction (see Transaction.macroPart).
import { Var, varByName, isCollection } from "./variables";

export class MacroPart {
  /** The literal's UTF-8 bytes, encoded once. */
  bytes: Uint8Array;
  /** TX slot of `%{tx.name}` (resolved after compilation), -1 otherwise. */
  txSlot: i32 = -1;
  /** v < 0: a literal. */
  constructor(public v: i32, public key: string, public literal: string) {
    this.bytes = Uint8Array.wrap(String.UTF8.encode(literal));
  }
}

export class Macro {
  parts: MacroPart[] = [];
  /** The source text, also the value when there is no macro. */
  constructor(public text: string) {}
  get isLiteral(): bool { return this.parts.length == 1 && this.parts[0].v < 0; }
}

/** Compiles `text`; unknown variables in `%{...}` are an error (err[0]). */
export function compileMacro(text: string, err: string[]): Macro | null {
  const m = new Macro(text);
  let i = 0;
  let lit = "";
  while (i < text.length) {
    const at = text.indexOf("%{", i);
    if (at < 0) { lit += text.substring(i); break; }
    const end = text.indexOf("}", at + 2);
    if (end < 0) { lit += text.substring(i); break; }
    lit += text.substring(i, at);
    const inner = text.substring(at + 2, end);
    const dot = inner.indexOf(".");
    const name = dot < 0 ? inner : inner.substring(0, dot);
    const key = dot < 0 ? "" : inner.substring(dot + 1).toLowerCase();
    const v = varByName(name);
    if (v < 0) { err[0] = "unknown variable in macro %{" + inner + "}"; return null; }
    if (key.length > 0 && !isCollection(v)) { err[0] = "variable " + name + " has no members: %{" + inner + "}"; return null; }
    if (lit.length > 0) { m.parts.push(new MacroPart(-1, "", lit)); lit = ""; }
    m.parts.push(new MacroPart(v, key, ""));
    i = end + 1;
  }
  if (lit.length > 0 || m.parts.length == 0) m.parts.push(new MacroPart(-1, "", lit));
  return m;
}

/** True when a macro reads a variable (unused import guard for Var keeps the enum linked). */
export function macroReadsTx(m: Macro): bool {
  for (let i = 0; i < m.parts.length; i++) if (m.parts[i].v == Var.TX) return true;
  return false;
}
