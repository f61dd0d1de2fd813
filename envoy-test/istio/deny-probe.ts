// Runs inside istio-local's namespace for the wrong-sha256 case: one request inbound and one outbound; prints
// each status and body so run.ts can check for Istio's deny-all (403 "RBAC: access denied").
const results: { side: string; status: number; body: string }[] = [];
for (const [side, base, host] of [['inbound', process.env.MESH_INBOUND, 'example.com'], ['outbound', process.env.MESH_OUTBOUND, 'upstream.local']] as const) {
  const res = await fetch(`${base}/`, { headers: { host } });
  results.push({ side, status: res.status, body: (await res.text()).trim() });
}
console.log(JSON.stringify(results));
