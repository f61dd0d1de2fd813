// @unconditionalMatch (always true) and @noMatch (always false); parameters are ignored, as in ModSecurity.
import { Bytes, Captures, Operator, OperatorResult } from '../types';

class Constant extends Operator {
  constructor(private result: bool) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    return this.result;
  }
}

export function compileUnconditionalMatch(param: string): OperatorResult {
  return OperatorResult.ok(new Constant(true));
}
export function compileNoMatch(param: string): OperatorResult {
  return OperatorResult.ok(new Constant(false));
}
