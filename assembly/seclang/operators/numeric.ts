// @eq @ge @gt @le @lt: integer comparisons with ModSecurity's parsing (see toInt: @eq is 32-bit std::stoi,
// the others 64-bit atoll). The parameter may be a macro (`@ge %{tx.inbound_anomaly_score_threshold}`):
// then it is parsed from the expanded text per call.
import { Bytes, Captures, Operator, OperatorResult, needsExpansion } from '../types';
import { paramBytes, toInt, toIntText } from './util';

export const enum Cmp { EQ, GE, GT, LE, LT }

class Compare extends Operator {
  constructor(private cmp: Cmp, private param: i64) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const wide = this.cmp != Cmp.EQ;
    const p = expanded != null ? toIntText(expanded, wide) : this.param;
    const v = toInt(value, wide);
    switch (this.cmp) {
      case Cmp.EQ: return v == p;
      case Cmp.GE: return v >= p;
      case Cmp.GT: return v > p;
      case Cmp.LE: return v <= p;
      default: return v < p;
    }
  }
}

export function compileCompare(cmp: Cmp, param: string): OperatorResult {
  const p = needsExpansion(param) ? 0 : toInt(paramBytes(param), cmp != Cmp.EQ);
  return OperatorResult.ok(new Compare(cmp, p));
}
export function compileEq(param: string): OperatorResult { return compileCompare(Cmp.EQ, param); }
export function compileGe(param: string): OperatorResult { return compileCompare(Cmp.GE, param); }
export function compileGt(param: string): OperatorResult { return compileCompare(Cmp.GT, param); }
export function compileLe(param: string): OperatorResult { return compileCompare(Cmp.LE, param); }
export function compileLt(param: string): OperatorResult { return compileCompare(Cmp.LT, param); }
