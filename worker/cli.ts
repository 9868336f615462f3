/**
 * `npx handoff-bridge <command> [args]`: the one entrypoint for operators. Each command is a module in
 * worker/commands/ exporting `summary` and `run(args)`, loaded only when asked for.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';

interface CommandModule {
  summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = new URL('./commands/', import.meta.url);

function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => basename(file, '.ts'))
    .sort();
}

async function load(name: string): Promise<CommandModule> {
  return (await import(new URL(`${name}.ts`, commandsDir).href)) as CommandModule;
}

async function usage(): Promise<string> {
  const names = commandNames();
  const width = Math.max(...names.map((n) => n.length));
  const lines = await Promise.all(names.map(async (n) => `  ${n.padEnd(width)}  ${(await load(n)).summary}`));
  return ['usage: handoff-bridge <command> [options]', '', ...lines].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === 'help') {
  console.log(await usage());
} else if (!commandNames().includes(name)) {
  console.error(`handoff-bridge: unknown command "${name}"\n\n${await usage()}`);
  process.exitCode = 2;
} else {
  process.exitCode = await (await load(name)).run(rest);
}
