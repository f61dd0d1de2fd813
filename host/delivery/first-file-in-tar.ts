// For http(s) modules served as a tar (Istio unpacks "the first file"): the first regular file's contents,
// or null when the bytes are not a tar archive. Bounded: never reads past the buffer.
export function findFirstFileInTar(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < 1024) return null;
  const magic = new TextDecoder().decode(bytes.subarray(257, 262));
  if (magic !== 'ustar') return null;
  let offset = 0;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return null;
    const sizeText = new TextDecoder().decode(header.subarray(124, 136)).replace(/\0.*$/s, '').trim();
    if (!/^[0-7]*$/.test(sizeText)) return null;
    const size = parseInt(sizeText || '0', 8);
    const start = offset + 512;
    if (start + size > bytes.length) return null;
    const type = header[156];
    if (type === 0x30 || type === 0) return bytes.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  return null;
}
