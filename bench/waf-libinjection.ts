// `npm run bench -- waf-libinjection`: ns per @detectSQLi / @detectXSS call of the AssemblyScript
// libinjection (libinjection.wasm, optimized as the plugins build it) against libinjection-go (what
// Coraza runs, native), on typical benign arguments and on the CRS 941/942 attack payloads. Each side
// loops inside its own runtime (no per-call host crossing); medians of interleaved rounds; prints the
// wasm/Go ratio. measureLibinjection() is the entry point for the WAF benchmark.
import { Libinjection } from '../assembly/seclang/libinjection/js/loader.ts';
import { BENIGN, bytes, crsInputs } from '../test/seclang/libinjection-corpus.ts';
import { buildReference, referenceTimings } from '../test/seclang/libinjection-reference.ts';

export interface LibinjectionRow {
  set: string;
  inputs: number;
  detector: 'sqli' | 'xss';
  wasmNs: number;
  goNs: number;
  /** wasmNs / goNs: below 1 the wasm is faster. */
  ratio: number;
}

const ROUNDS = 5;

/** Typical request arguments: ids, names, dates, emails, JSON-ish and header-ish values. */
function typicalArguments(): Uint8Array[] {
  const extra = ['42', 'true', 'en', 'page=2', 'Jane Doe', '2025-11-25T10:00:00Z', 'a1b2c3d4e5f6', 'search terms here',
    '/images/logo.png', 'application/json'];
  return [...BENIGN, ...extra].filter((s) => s.length > 0).map(bytes);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ns per call of the wasm detector over `inputs`, `reps` calls each inside the module. */
function wasmNsPerCall(lib: Libinjection, inputs: Uint8Array[], detector: 'sqli' | 'xss', reps: number): number {
  const t0 = process.hrtime.bigint();
  for (const input of inputs) {
    const n = lib.load(input);
    if (detector === 'sqli') lib.sqliRepeat(n, reps);
    else lib.xssRepeat(n, reps);
  }
  return Number(process.hrtime.bigint() - t0) / (inputs.length * reps);
}

export async function measureLibinjection(): Promise<LibinjectionRow[]> {
  const lib = await Libinjection.load();
  const ref = buildReference();
  const sets: [string, Uint8Array[]][] = [
    ['typical arguments', typicalArguments()],
    ['CRS 941/942 payloads', crsInputs()],
  ];
  const rows: LibinjectionRow[] = [];
  for (const [set, inputs] of sets) {
    const bytesTotal = inputs.reduce((a, b) => a + b.length, 0);
    // About 2M input bytes per timing, whatever the set's size.
    const reps = Math.max(1, Math.round(2_000_000 / Math.max(1, bytesTotal)));
    wasmNsPerCall(lib, inputs, 'sqli', 1); // warm-up (JIT tiers)
    wasmNsPerCall(lib, inputs, 'xss', 1);
    const samples = { wasmSqli: [] as number[], wasmXss: [] as number[], goSqli: [] as number[], goXss: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      samples.wasmSqli.push(wasmNsPerCall(lib, inputs, 'sqli', reps));
      samples.wasmXss.push(wasmNsPerCall(lib, inputs, 'xss', reps));
      const go = referenceTimings(ref, inputs, reps);
      samples.goSqli.push(go.sqliNs / (inputs.length * reps));
      samples.goXss.push(go.xssNs / (inputs.length * reps));
    }
    for (const detector of ['sqli', 'xss'] as const) {
      const wasmNs = median(detector === 'sqli' ? samples.wasmSqli : samples.wasmXss);
      const goNs = median(detector === 'sqli' ? samples.goSqli : samples.goXss);
      rows.push({ set, inputs: inputs.length, detector, wasmNs, goNs, ratio: wasmNs / goNs });
    }
  }
  return rows;
}

export async function run(_args: string[]): Promise<void> {
  const rows = await measureLibinjection();
  console.log('libinjection: ns per call, AssemblyScript (wasm, V8) vs libinjection-go (native)');
  console.log('set                    detector  inputs   wasm ns     go ns   wasm/go');
  for (const r of rows) {
    console.log(
      `${r.set.padEnd(22)} ${r.detector.padEnd(8)} ${String(r.inputs).padStart(7)} ${r.wasmNs.toFixed(0).padStart(9)} ` +
        `${r.goNs.toFixed(0).padStart(9)} ${r.ratio.toFixed(2).padStart(9)}`,
    );
  }
}
