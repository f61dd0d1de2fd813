// Benchmark of the body processors (body.wasm, release build) against anchors measured in the same
// run: V8's JSON.parse, Node's URLSearchParams, undici's multipart formData(), and, for XML (Node has
// no native parser), a plain JS pass over the bytes. Prints time ratios (ours / anchor); ratios, not
// absolute times, carry over between machines. Run: node --import tsx test/seclang/body-bench.ts
import { BodyProcessors } from './body-wasm.ts';

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return min;
}

async function bestAsync(runs: number, fn: () => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return min;
}

const bp = await BodyProcessors.load();
const N = 20;
const RUNS = 7;

// ~100 KB bodies shaped like API and form traffic.
const jsonText = JSON.stringify(
  Array.from({ length: 800 }, (_, i) => ({ id: i, name: `user ${i}`, tags: ['a', 'b'], ok: i % 2 === 0, score: i * 1.5, note: "it's \"quoted\" é" })),
);
const json = Buffer.from(jsonText);
const formText = Array.from({ length: 3000 }, (_, i) => `field${i}=value+${i}%20x%41&`).join('');
const form = Buffer.from(formText);
const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
const parts: string[] = [];
for (let i = 0; i < 200; i++) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${'v'.repeat(200)}\r\n`);
for (let i = 0; i < 5; i++) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="up${i}"; filename="a${i}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'z'.repeat(10000)}\r\n`);
const mpText = parts.join('') + `--${boundary}--\r\n`;
const mp = Buffer.from(mpText, 'latin1');
const mpCt = `multipart/form-data; boundary=${boundary}`;
const xml = Buffer.from('<r>' + Array.from({ length: 1500 }, (_, i) => `<item id="${i}" kind="x"><name>user ${i} &amp; co</name><v>${i}</v></item>`).join('') + '</r>');

const rows: [string, number, number, number][] = [];
{
  const ours = best(RUNS, () => bp.repeat('json', json, '', N));
  const v8 = best(RUNS, () => { for (let i = 0; i < N; i++) JSON.parse(jsonText); });
  rows.push(['json (flatten) vs V8 JSON.parse (tree)', json.length, ours / N, v8 / N]);
}
{
  const ours = best(RUNS, () => bp.repeat('urlencoded', form, '', N));
  const node = best(RUNS, () => { for (let i = 0; i < N; i++) for (const _ of new URLSearchParams(formText)); });
  rows.push(['urlencoded vs URLSearchParams', form.length, ours / N, node / N]);
}
{
  const ours = best(RUNS, () => bp.repeat('multipart', mp, mpCt, N));
  const undici = await bestAsync(RUNS, async () => {
    for (let i = 0; i < N; i++) await new Response(mp, { headers: { 'content-type': mpCt } }).formData();
  });
  rows.push(['multipart vs undici formData()', mp.length, ours / N, undici / N]);
}
{
  const ours = best(RUNS, () => bp.repeat('xml', xml, '', N));
  const scan = best(RUNS, () => {
    for (let i = 0; i < N; i++) {
      let n = 0;
      for (let j = 0; j < xml.length; j++) if (xml[j] === 0x3c) n++;
      if (n < 0) throw new Error('unreachable');
    }
  });
  rows.push(["xml vs a JS loop counting '<'", xml.length, ours / N, scan / N]);
}
for (const [name, size, ours, anchor] of rows) {
  console.log(`${name.padEnd(44)} ${String(size).padStart(7)} B  ours ${ours.toFixed(3)} ms  anchor ${anchor.toFixed(3)} ms  ratio ${(ours / anchor).toFixed(2)}x`);
}
