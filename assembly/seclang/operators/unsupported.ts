// Operators that need what a Proxy-Wasm module does not have: compiling a rule that uses one is an error
// saying why, rather than a rule that silently never matches.
import { OperatorResult } from '../types';

export function unsupported(name: string): OperatorResult {
  let why = '';
  if (name == 'rsub') why = 'stream editing (SecStreamInBodyInspection) is not available in the proxy';
  else if (name == 'inspectfile') why = 'it runs an external program, which a Wasm module cannot do';
  else if (name == 'fuzzyhash') why = 'it needs ssdeep and a hash database on disk';
  else if (name == 'geolookup') why = 'it needs a GeoIP database on disk';
  else if (name == 'rbl') why = 'it needs DNS lookups, which Proxy-Wasm does not offer synchronously';
  else if (name == 'gsblookup') why = 'it needs the Google Safe Browsing database on disk';
  else why = 'it is not available in a Wasm module';
  return OperatorResult.fail('@' + name + ' is not supported in Wasm: ' + why);
}
