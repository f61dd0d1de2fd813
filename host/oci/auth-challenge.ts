// Parses a `WWW-Authenticate` header (`Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`),
// the distribution spec's way of telling a client how to authenticate.

export interface AuthChallenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export function parseAuthChallenge(header: string | null): AuthChallenge | Error {
  if (!header) return new Error('the registry answered 401 without a WWW-Authenticate challenge');
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  const scheme = m?.[1]?.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return new Error(`unsupported authentication scheme in '${header}'`);
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m![2]!); p; p = re.exec(m![2]!)) {
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  if (scheme === 'bearer' && !params.realm) return new Error(`bearer challenge without a realm: '${header}'`);
  return { scheme, params };
}
