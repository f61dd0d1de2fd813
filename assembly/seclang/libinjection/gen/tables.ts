// Generates the lookup tables of the AssemblyScript libinjection from the data of libinjection-go (the Go
// port Coraza uses), taken from the Go module cache:
//   node --import tsx assembly/seclang/libinjection/gen/tables.ts [--check] [MODULE_DIR]
// MODULE_DIR defaults to $(go env GOMODCACHE)/github.com/corazawaf/libinjection-go@v0.3.3. With --check it
// writes nothing and exits 1 when the committed tables differ from what the data gives.
// Each table is a sorted byte blob + u16 start offsets + one type byte per key, searched by binary search
// (see sorted-table.ts): compact in the .wasm and no hashing of attacker-chosen keys.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODULE_VERSION = 'v0.3.3';
const outDir = fileURLToPath(new URL('..', import.meta.url));

interface Table {
  name: string;
  doc: string;
  entries: Map<string, number>;
  /** Also emit a hash index (for the big, hot SQL keyword table). */
  hashed?: boolean;
}

/** Longest probe sequence the hash index may have (a property of the fixed keys, checked here). */
const MAX_PROBES = 12;

/** FNV-1a over the key bytes: sorted-table.ts computes the same while upper-casing a word. */
export function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Open addressing, linear probing: slot -> key index + 1 (0 = empty). */
function hashIndex(keys: string[], name: string): number[] {
  let size = 1;
  while (size < keys.length * 2) size <<= 1;
  const slots = new Array<number>(size).fill(0);
  let worst = 0;
  keys.forEach((k, i) => {
    let at = fnv1a(k) & (size - 1);
    let probes = 1;
    while (slots[at] !== 0) {
      at = (at + 1) & (size - 1);
      probes++;
    }
    slots[at] = i + 1;
    worst = Math.max(worst, probes);
  });
  // A miss walks to the next empty slot: bound that too.
  for (let s = 0; s < size; s++) {
    let run = 0;
    while (slots[(s + run) & (size - 1)] !== 0) run++;
    worst = Math.max(worst, run + 1);
  }
  if (worst > MAX_PROBES) throw new Error(`${name}: hash index needs ${worst} probes (max ${MAX_PROBES})`);
  return slots;
}

export function defaultModuleDir(): string {
  const cache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  return join(cache, `github.com/corazawaf/libinjection-go@${MODULE_VERSION}`);
}

/** The body of `var NAME = ...{ ... }` in Go source (up to the matching top-level closing brace line). */
function goBlock(src: string, name: string): string {
  const start = src.indexOf(`var ${name} = `);
  if (start < 0) throw new Error(`no var ${name} in the Go source`);
  const end = src.indexOf('\n}\n', start);
  if (end < 0) throw new Error(`var ${name} is not closed`);
  return src.slice(start, end);
}

function sqlKeywords(src: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of goBlock(src, 'sqlKeywords').matchAll(/^\s*"([^"\\]*)":\s*'(.)',\s*$/gm)) {
    out.set(m[1], m[2].charCodeAt(0));
  }
  return out;
}

const ATTR_TYPES: Record<string, number> = {
  attributeTypeNone: 0,
  attributeTypeBlack: 1,
  attributeTypeAttrURL: 2,
  attributeTypeStyle: 3,
  attributeTypeAttrIndirect: 4,
};

function typedNames(src: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of goBlock(src, name).matchAll(/\{"([^"\\]*)",\s*(attributeType\w+)\}/g)) {
    const t = ATTR_TYPES[m[2]];
    if (t === undefined) throw new Error(`unknown attribute type ${m[2]}`);
    out.set(m[1], t);
  }
  return out;
}

function plainNames(src: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of goBlock(src, name).matchAll(/^\s*"([^"\\]*)",/gm)) out.set(m[1], 1);
  return out;
}

function compareBytes(a: string, b: string): number {
  // Keys are ASCII (checked below), so UTF-16 code unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

function numbers(values: number[], perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) lines.push('  ' + values.slice(i, i + perLine).join(','));
  return lines.join(',\n');
}

function renderTable(t: Table): string {
  const keys = [...t.entries.keys()].sort(compareBytes);
  for (const k of keys) {
    if (!/^[\x20-\x7e]*$/.test(k)) throw new Error(`${t.name}: non-ASCII key ${JSON.stringify(k)}`);
  }
  const bytes: number[] = [];
  const starts: number[] = [];
  for (const k of keys) {
    starts.push(bytes.length);
    for (let i = 0; i < k.length; i++) bytes.push(k.charCodeAt(i));
  }
  starts.push(bytes.length);
  if (bytes.length > 0xffff) throw new Error(`${t.name}: ${bytes.length} key bytes do not fit u16 offsets`);
  const types = keys.map((k) => t.entries.get(k)!);
  const slots = t.hashed ? hashIndex(keys, t.name) : [];
  const index = t.hashed ? `memory.data<u16>([\n${numbers(slots, 20)}\n]), ${slots.length - 1}` : '0, 0';
  return [
    `/** ${t.doc} (${keys.length} keys). */`,
    `export const ${t.name} = new SortedTable(${keys.length}, memory.data<u8>([\n${numbers(bytes, 40)}\n]), memory.data<u16>([\n${numbers(starts, 20)}\n]), memory.data<u8>([\n${numbers(types, 40)}\n]), ${index});`,
  ].join('\n');
}

function render(source: string, tables: Table[]): string {
  return [
    `// Generated by gen/tables.ts from libinjection-go ${MODULE_VERSION} ${source} — do not edit.`,
    '// BSD 3-clause data of libinjection; the notices are in LICENSE-libinjection next to this file.',
    "import { SortedTable } from './sorted-table';",
    '',
    ...tables.map(renderTable).flatMap((s) => [s, '']),
  ].join('\n');
}

export function generate(moduleDir: string): Map<string, string> {
  const sqli = readFileSync(join(moduleDir, 'sqli_data.go'), 'utf8');
  const xss = readFileSync(join(moduleDir, 'xss_decls.go'), 'utf8');
  const keywords = sqlKeywords(sqli);
  if (keywords.size < 9000) throw new Error(`only ${keywords.size} SQL keywords parsed`);
  const events = typedNames(xss, 'blackEvents');
  const attrs = typedNames(xss, 'blacks');
  const tags = plainNames(xss, 'blackTags');
  if (events.size < 100 || attrs.size < 10 || tags.size < 10) throw new Error('XSS lists parsed short');
  const out = new Map<string, string>();
  out.set(
    'sqli-keywords-data.ts',
    render('sqli_data.go', [
      {
        name: 'SQL_KEYWORDS',
        doc: "SQL words (upper case) and fingerprints ('0' + upper-cased fingerprint) to their token type; 'F' marks a SQLi fingerprint",
        entries: keywords,
        hashed: true,
      },
    ]),
  );
  out.set(
    'xss-lists-data.ts',
    render('xss_decls.go', [
      { name: 'XSS_BLACK_TAGS', doc: 'Tag names (upper case) that are XSS on their own', entries: tags },
      { name: 'XSS_EVENTS', doc: 'Event handler names without their "ON" prefix, to the attribute type', entries: events },
      { name: 'XSS_ATTRIBUTES', doc: 'Attribute names to their attribute type (1 black, 2 URL, 3 style, 4 indirect)', entries: attrs },
    ]),
  );
  return out;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const dir = argv.find((a) => !a.startsWith('--')) ?? defaultModuleDir();
  let stale = 0;
  for (const [name, text] of generate(dir)) {
    const file = join(outDir, name);
    if (check) {
      let old = '';
      try {
        old = readFileSync(file, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (old !== text) {
        console.error(`${name} is stale: run node --import tsx assembly/seclang/libinjection/gen/tables.ts`);
        stale++;
      }
    } else {
      writeFileSync(file, text);
      console.log(`wrote ${name}`);
    }
  }
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(main(process.argv.slice(2)));
