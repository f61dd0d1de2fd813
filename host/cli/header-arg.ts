// Parsing of `--header 'name: value'` and `--cluster NAME=URL` command-line values.

export function parseHeaderArg(s: string): [string, string] {
  const i = s.indexOf(':', s.startsWith(':') ? 1 : 0);
  if (i <= 0) throw new Error(`bad header '${s}': expected 'name: value'`);
  const name = s.slice(0, i).trim().toLowerCase();
  const value = s.slice(i + 1).trim();
  if (!/^:?[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) throw new Error(`bad header name '${name}'`);
  if (/[\0\r\n]/.test(value)) throw new Error(`bad header value for '${name}': CR, LF and NUL are not allowed`);
  return [name, value];
}

export function parseClusterArg(s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new Error(`bad cluster '${s}': expected NAME=URL`);
  const name = s.slice(0, i);
  const url = s.slice(i + 1);
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new Error(`bad cluster '${s}': '${url}' is not an http(s) URL`);
  }
  return [name, url];
}
