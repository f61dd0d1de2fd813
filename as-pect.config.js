// as-pect runner for the AssemblyScript unit tests in assembly/__tests__ and sdk/__tests__.
import { webcrypto } from 'node:crypto';

export default {
  entries: ['assembly/__tests__/**/*.spec.ts', 'sdk/__tests__/**/*.spec.ts'],
  include: ['assembly/__tests__/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // The module imports `memory`; write into it directly (the loader's instance arrives asynchronously).
    const mem = () => new Uint8Array(memory.buffer);
    // The libraries take randomness from WASI random_get, as they do inside Envoy.
    const wasi = {
      random_get(ptr, len) {
        webcrypto.getRandomValues(mem().subarray(ptr, ptr + len));
        return 0;
      },
    };
    return instantiate(binary, createImports({ env: { memory }, wasi_snapshot_preview1: wasi }));
  },
  outputBinary: false,
};
