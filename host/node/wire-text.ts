// Node's HTTP parser hands header values and the request target over as latin1 strings (one char per byte)
// and writes them back the same way; the host core holds text as decoded UTF-8 strings, as Envoy hands
// plugins the raw bytes. These two conversions keep a UTF-8 header byte-for-byte on its way through, instead
// of encoding it twice. Pure ASCII (the common case) is returned as it is.

const NON_ASCII = /[^\x00-\x7f]/;

/** A latin1 string from Node's parser → the text its bytes spell in UTF-8. */
export function fromWire(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** Text from the host → the latin1 string whose chars are its UTF-8 bytes, for Node to write. */
export function toWire(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}
