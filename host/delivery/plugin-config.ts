// A plugin's configuration (a JSON or YAML file) checked against the plugin's JSON Schema
// (`plugins/<name>/config.schema.json`) before it goes into a WasmPlugin's `pluginConfig`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function pluginSchemaPath(plugin: string): string {
  return join(REPO_ROOT, 'plugins', plugin, 'config.schema.json');
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Reads a JSON or YAML file holding one mapping (YAML is a superset of JSON, so one parser reads both). */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    // YAML 1.1 like Kubernetes: what lands in pluginConfig is what Istio will see (`yes` is true there).
    value = parseYaml(await readText(path, 'plugin configuration'), { version: '1.1' });
  } catch (e) {
    throw new Error(`${path} is neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: the plugin configuration must be a mapping (a JSON object)`);
  return value as Record<string, unknown>;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `pluginConfig${e.instancePath.replace(/\//g, '.')}` : 'pluginConfig';
  const extra = e.keyword === 'additionalProperties' ? ` '${String(e.params.additionalProperty)}'`
    : e.keyword === 'enum' ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${where}: ${e.message ?? 'invalid'}${extra}`;
}

/** Errors of `config` against the JSON Schema in `schemaPath` (empty = valid). */
export async function validatePluginConfig(config: unknown, schemaPath: string): Promise<string[]> {
  let schema: unknown;
  try {
    schema = JSON.parse(await readText(schemaPath, 'schema'));
  } catch (e) {
    if ((e as Error).message.startsWith('cannot read')) throw e;
    throw new Error(`${schemaPath} is not valid JSON: ${(e as Error).message}`);
  }
  // The dialect the schema declares (plugins use 2020-12); draft-07 when it declares none.
  const dialect = String((schema as { $schema?: unknown } | null)?.$schema ?? '');
  const options = { allErrors: true, strict: false, validateFormats: false };
  const ajv = dialect.includes('2020-12') ? new Ajv2020(options) : dialect.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  let validate;
  try {
    validate = ajv.compile(schema as object);
  } catch (e) {
    throw new Error(`${schemaPath} is not a usable JSON Schema: ${(e as Error).message}`);
  }
  return validate(config) ? [] : (validate.errors ?? []).map(describe);
}

/** The schema for a plugin by name, or an error naming what exists. */
export function requirePluginSchema(plugin: string): string {
  const path = pluginSchemaPath(plugin);
  if (!existsSync(path)) throw new Error(`plugin '${plugin}' has no config schema at ${path}`);
  return path;
}
