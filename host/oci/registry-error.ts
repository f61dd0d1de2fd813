// One error type for everything that goes wrong talking to a registry, with a message a user can act on.

export type RegistryErrorKind = 'unreachable' | 'unauthorized' | 'denied' | 'not-found' | 'protocol' | 'digest-mismatch' | 'bad-image';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** The first `errors[].code: message` of a distribution-spec error body, if there is one. */
export function describeErrorBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first) return [first.code, first.message].filter((x) => typeof x === 'string' && x).join(': ');
  } catch {
    /* not JSON: fall through */
  }
  return body.trim().slice(0, 200);
}

/** A fetch() failure (connection refused, TLS to a plain-HTTP port, timeout, ...) as a RegistryError. */
export function networkError(registry: string, scheme: string, e: unknown): RegistryError {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? (err.name === 'TimeoutError' ? 'timed out' : undefined);
  const detail = err.cause?.message ?? err.message;
  let hint = '';
  if (scheme === 'https' && /wrong version number|EPROTO|packet length too long/i.test(`${code} ${detail}`)) {
    hint = ' (it seems to speak plain HTTP: add --plain-http)';
  } else if (code === 'ECONNREFUSED') hint = ' (is the registry running?)';
  return new RegistryError('unreachable', `cannot reach registry ${registry} over ${scheme}: ${code ?? detail}${hint}`);
}
