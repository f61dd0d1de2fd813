// The `meshplug` command: one table of subcommands, each in its own file under ./commands/.
// A command module exports `run(args: string[]): Promise<number>` and a one-line `summary`.

export interface CommandModule {
  summary: string;
  run(args: string[]): Promise<number>;
}

// Loaded lazily by file name so `meshplug --help` stays fast and a command's dependencies load only when used.
const commandFiles: Record<string, string> = {
  build: 'build',
  request: 'request',
  bench: 'bench',
  start: 'start',
  'envoy-config': 'envoy-config',
  regex: 'regex',
  push: 'push',
  pull: 'pull',
  manifest: 'manifest',
  envoy: 'envoy',
  'waf-test': 'waf-test',
};
const commands: Record<string, () => Promise<CommandModule>> = Object.fromEntries(
  Object.entries(commandFiles).map(([name, file]) => [name, () => import(`./commands/${file}.ts`) as Promise<CommandModule>]),
);

async function help(): Promise<number> {
  const lines = ['usage: meshplug <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    let summary = '(not available in this build)';
    try { summary = (await load()).summary; } catch { /* command file not present */ }
    lines.push(`  ${name.padEnd(14)} ${summary}`);
  }
  lines.push('', 'Run `meshplug <command> --help` for a command\'s options.');
  console.log(lines.join('\n'));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return help();
  const load = commands[name];
  if (!load) {
    console.error(`meshplug: unknown command '${name}' (see meshplug --help)`);
    return 2;
  }
  let mod: CommandModule;
  try {
    mod = await load();
  } catch (e) {
    console.error(`meshplug: command '${name}' is not available: ${(e as Error).message}`);
    return 2;
  }
  try {
    return await mod.run(rest);
  } catch (e) {
    const err = e as Error;
    console.error(`meshplug ${name}: ${err.message}`);
    if (process.env.MESHPLUG_DEBUG) console.error(err.stack);
    return 1;
  }
}
