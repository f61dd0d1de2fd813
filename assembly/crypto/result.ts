// Error values shared by every primitive. Library code never throws (a throw is a trap inside Envoy),
// so every fallible operation returns one of these and callers check `ok`.

/** Outcome of a check (signature/tag verification, key validation). */
export class Verdict {
  constructor(public ok: bool, public reason: string) {}

  static pass(): Verdict {
    return new Verdict(true, '');
  }

  static fail(reason: string): Verdict {
    return new Verdict(false, reason);
  }
}

/** Bytes or a reason why there are none. */
export class BytesResult {
  constructor(public ok: bool, public value: Uint8Array, public reason: string) {}

  static of(value: Uint8Array): BytesResult {
    return new BytesResult(true, value, '');
  }

  static fail(reason: string): BytesResult {
    return new BytesResult(false, new Uint8Array(0), reason);
  }
}
