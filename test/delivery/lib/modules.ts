// Small, valid Wasm modules made on the spot: the ABI marker export plus a custom section of filler, so a test
// can pick the size (and so force chunked uploads) without depending on a built plugin.

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...leb128(payload.length), ...payload];
}

/** A module exporting `proxy_abi_version_0_2_1` (an empty function) with `fillerBytes` of custom section. */
export function testModule(fillerBytes = 0, seed = 0): Uint8Array {
  const name = [...new TextEncoder().encode('proxy_abi_version_0_2_1')];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]), // one type: () -> ()
    ...section(3, [1, 0]), // one function of that type
    ...section(7, [1, name.length, ...name, 0x00, 0]), // export it
    ...section(10, [1, 2, 0, 0x0b]), // its body: no locals, end
  ];
  if (fillerBytes > 0) {
    const label = [...new TextEncoder().encode('filler')];
    const filler = Array.from({ length: fillerBytes }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);
    bytes.push(...section(0, [label.length, ...label, ...filler]));
  }
  return new Uint8Array(bytes);
}
