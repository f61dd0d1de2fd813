// The part of Go's text/template (with sprig functions) that go-ftw evaluates in a test's `data`, e.g.
// `{{ "1" | repeat 152 }}`. go-ftw sends an EMPTY body when the template does not parse or execute, so an
// error here is a value the caller turns into that behaviour (and a note), never an exception.

export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

type Value = string | number;

/** sprig/text-template functions: last argument is the piped value, as in Go. */
const functions: Record<string, (args: Value[]) => Value> = {
  repeat: (a) => {
    const [count, s] = a;
    if (a.length !== 2 || typeof count !== 'number' || typeof s !== 'string') throw new Error('repeat expects (count int, str string)');
    if (count < 0 || count * s.length > 64 * 1024 * 1024) throw new Error('repeat: result too large');
    return s.repeat(count);
  },
  upper: (a) => str1('upper', a).toUpperCase(),
  lower: (a) => str1('lower', a).toLowerCase(),
  trim: (a) => str1('trim', a).trim(),
  b64enc: (a) => Buffer.from(str1('b64enc', a), 'utf8').toString('base64'),
  b64dec: (a) => Buffer.from(str1('b64dec', a), 'base64').toString('utf8'),
  cat: (a) => a.map(String).join(' '),
  print: (a) => a.map(String).join(''),
};

function str1(name: string, a: Value[]): string {
  if (a.length !== 1 || typeof a[0] !== 'string') throw new Error(`${name} expects one string`);
  return a[0];
}

/** Tokens of one action: string literals, integers, identifiers and the pipe. */
function tokenize(src: string): (Value | { ident: string } | '|')[] {
  const out: (Value | { ident: string } | '|')[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '|') { out.push('|'); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new Error('unterminated quoted string');
      out.push(JSON.parse(src.slice(i, j + 1)) as string); // Go and JSON share the escapes tests use
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new Error('unterminated raw string');
      out.push(src.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    const m = /^-?\d+|^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) throw new Error(`unexpected "${c}" in action`);
    out.push(/^-?\d/.test(m[0]) ? Number(m[0]) : { ident: m[0] });
    i += m[0].length;
  }
  return out;
}

function evalAction(src: string): string {
  const tokens = tokenize(src);
  if (tokens.length === 0) throw new Error('missing value for command');
  let piped: Value | undefined;
  let cmd: typeof tokens = [];
  const run = () => {
    if (cmd.length === 0) throw new Error('missing command in pipeline');
    const [head, ...rest] = cmd;
    const args = rest.map((t) => {
      if (typeof t === 'object') throw new Error(`function "${t.ident}" used as an argument`);
      return t as Value;
    });
    if (piped !== undefined) args.push(piped);
    if (typeof head === 'object') {
      const fn = functions[head.ident];
      if (!fn) throw new Error(`function "${head.ident}" not defined`);
      piped = fn(args);
    } else {
      if (args.length > 0) throw new Error(`can't give argument to non-function ${String(head)}`);
      piped = head as Value;
    }
    cmd = [];
  };
  for (const t of tokens) {
    if (t === '|') run();
    else cmd.push(t);
  }
  run();
  return String(piped);
}

export function expandTemplate(text: string): TemplateResult {
  let out = '';
  let i = 0;
  try {
    for (;;) {
      const open = text.indexOf('{{', i);
      if (open < 0) { out += text.slice(i); break; }
      let literal = text.slice(i, open);
      let inner = open + 2;
      if (text.startsWith('- ', inner) || text.startsWith('-\t', inner) || text.startsWith('-\n', inner)) {
        literal = literal.replace(/[ \t\r\n]+$/, '');
        inner += 1;
      }
      out += literal;
      const close = text.indexOf('}}', inner);
      if (close < 0) throw new Error('unclosed action');
      let body = text.slice(inner, close);
      let trimAfter = false;
      if (/[ \t\n]-$/.test(body)) { body = body.slice(0, -1); trimAfter = true; }
      const trimmed = body.trim();
      if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) out += evalAction(body);
      i = close + 2;
      if (trimAfter) while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
    }
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  return { ok: true, text: out };
}
