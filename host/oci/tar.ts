// The smallest ustar archive a Docker `COPY plugin.wasm ./` layer amounts to (one regular file, fixed
// timestamps so the same module always gives the same layer digest), and a bounded reader that finds a
// file by base name the way Istio's fetcher does. The reader never throws on hostile input: it returns an
// Error value.

const BLOCK = 512;

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = new TextEncoder().encode(value);
  header.set(bytes.subarray(0, length), offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  // length-1 octal digits then NUL, as GNU and Go's archive/tar write them.
  writeString(header, offset, length - 1, value.toString(8).padStart(length - 1, '0'));
}

/** A tar archive holding one regular file `name` (mode 0644, owner 0:0, mtime 0). */
export function singleFileTar(name: string, data: Uint8Array): Uint8Array {
  if (new TextEncoder().encode(name).length > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = new Uint8Array(BLOCK);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, data.length);
  writeOctal(header, 136, 12, 0);
  header.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  header[156] = 0x30; // '0': regular file
  writeString(header, 257, 6, 'ustar');
  writeString(header, 263, 2, '00');
  let sum = 0;
  for (const b of header) sum += b;
  writeString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padded = Math.ceil(data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(BLOCK + padded + 2 * BLOCK);
  out.set(header, 0);
  out.set(data, BLOCK);
  return out;
}

function readString(buf: Uint8Array, offset: number, length: number): string {
  const field = buf.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end >= 0 ? field.subarray(0, end) : field);
}

function readOctal(buf: Uint8Array, offset: number, length: number): number | Error {
  const text = readString(buf, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return new Error(`bad octal field '${text}' in tar header`);
  return parseInt(text, 8);
}

/** `path` records of a pax extended header, the only ones that change which file an entry is. */
function paxPath(data: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(data);
  for (const line of text.split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The contents of the first regular file whose base name is `name`, or null if there is none. */
export function findInTar(archive: Uint8Array, name: string): Uint8Array | null | Error {
  let offset = 0;
  let pendingName: string | undefined; // from a pax 'x' or GNU 'L' header, applies to the next entry
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return null; // end-of-archive marker
    const size = readOctal(header, 124, 12);
    if (size instanceof Error) return size;
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) return new Error('tar entry runs past the end of the layer');
    const data = archive.subarray(dataStart, dataEnd);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = readString(header, 345, 155);
    const ownName = prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100);
    if (type === 'x') pendingName = paxPath(data) ?? pendingName;
    else if (type === 'L') pendingName = readString(data, 0, data.length);
    else {
      const path = pendingName ?? ownName;
      pendingName = undefined;
      if ((type === '0' || type === '\0') && baseName(path) === name) return data;
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return null;
}
