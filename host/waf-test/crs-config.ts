// The WAF's pluginConfig for a CRS regression run, set up as upstream CRS CI does it: detection only (a
// test passes on the log, not on a 403), paranoia 4, the CI containers' limits, response bodies inspected
// (the 95x tests), and the marker rule that logs the X-CRS-Test header. It is coraza-proxy-wasm's
// `directives_map` format; `--crs DIR` adds meshplug's `files` extension so the rules come from DIR.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const markerHeader = 'X-CRS-Test';
export const markerRuleId = 999999;

/** Upstream's regression settings (tests/regression/README.md) with the CI containers' total_arg_length. */
const testSettings = [
  'SecAction "id:900005,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,',
  'setvar:tx.blocking_paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,',
  'setvar:tx.arg_length=400,setvar:tx.total_arg_length=6400,setvar:tx.max_num_args=255,',
  'setvar:tx.max_file_size=64100,setvar:tx.combined_file_sizes=65535"',
].join('');

/**
 * The CRS test images' marker rule (CRS_ENABLE_TEST_MARKER): logs the header value and removes every other
 * rule for the marker request, so a marker request adds no lines of its own between the markers.
 */
export const markerRule = `SecRule REQUEST_HEADERS:${markerHeader} "@rx ^.*$" "id:${markerRuleId},phase:1,pass,t:none,log,noauditlog,msg:'${markerHeader} %{MATCHED_VAR}',ctl:ruleRemoveById=1-${markerRuleId - 1}"`;

export interface CrsFiles {
  /** File name → content, for the `files` config extension. */
  files: Record<string, string>;
  /** Rule files in load order. */
  ruleFiles: string[];
  setupFile: string;
}

/** Reads a CRS checkout: crs-setup.conf.example, rules/*.conf (load order by name) and rules/*.data. */
export async function readCrsDir(dir: string): Promise<CrsFiles> {
  const files: Record<string, string> = {};
  const read = async (path: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw new Error(`--crs: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const setupFile = 'crs-setup.conf.example';
  files[setupFile] = await read(join(dir, setupFile));
  let names: string[];
  try {
    names = (await readdir(join(dir, 'rules'))).sort();
  } catch (e) {
    throw new Error(`--crs: cannot list ${join(dir, 'rules')}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const ruleFiles = names.filter((n) => n.endsWith('.conf'));
  if (ruleFiles.length === 0) throw new Error(`--crs: no rule files (*.conf) in ${join(dir, 'rules')}`);
  for (const n of names) if (n.endsWith('.conf') || n.endsWith('.data')) files[n] = await read(join(dir, 'rules', n));
  return { files, ruleFiles, setupFile };
}

export function testDirectives(crs: CrsFiles | null): string[] {
  return [
    'Include @recommended-conf',
    'SecRuleEngine DetectionOnly',
    'SecRequestBodyAccess On',
    'SecResponseBodyAccess On',
    crs ? `Include ${crs.setupFile}` : 'Include @crs-setup-conf',
    testSettings,
    markerRule,
    ...(crs ? crs.ruleFiles.map((f) => `Include ${f}`) : ['Include @owasp_crs/*.conf']),
  ];
}

/** The pluginConfig JSON text: coraza-proxy-wasm's fields, plus `files` when the rules come from a directory. */
export function testPluginConfig(crs: CrsFiles | null): string {
  const cfg: Record<string, unknown> = { directives_map: { crs_regression: testDirectives(crs) }, default_directives: 'crs_regression' };
  if (crs) cfg.files = crs.files;
  return JSON.stringify(cfg);
}
