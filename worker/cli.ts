/**
 * `npx handoff-bridge <command>`: the one entrypoint for operators. Each command lives in its own
 * module and is loaded only when asked for.
 */
export {};

type Command = { summary: string; run: (args: string[]) => Promise<number> };

const commands: Record<string, Command> = {
  start: {
    summary: 'dev server + Web UI on :8233 + worker (what `npm start` runs)',
    run: async () => {
      await import('./start');
      return new Promise<number>(() => undefined);
    },
  },
  provision: {
    summary: 'find or install the Temporal CLI and time-skipping server',
    run: async () => {
      await import('../scripts/provision-temporal');
      return process.exitCode === undefined ? 0 : Number(process.exitCode);
    },
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: handoff-bridge <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(name && name !== '--help' ? `handoff-bridge: unknown command "${name}"\n\n${usage()}` : usage());
  process.exitCode = name === '--help' ? 0 : 2;
} else {
  process.exitCode = await command.run(rest);
}
