// Imports a module another engineer provides, if it is there: the Envoy suites must run without it.
// The path is built at run time, so a checkout without the file still type-checks.

/** The module, or a sentence saying why it is not available. */
export async function optionalImport(fromRepoRoot: string): Promise<Record<string, unknown> | string> {
  const url = new URL(`../../${fromRepoRoot}`, import.meta.url);
  try {
    return (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes(url.pathname)) return `${fromRepoRoot} is not there yet`;
    return `${fromRepoRoot} failed to load: ${err.message.split('\n')[0]}`;
  }
}
