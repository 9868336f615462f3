/**
 * The CLI as a new user meets it. Every command and subcommand comes from the program's own tree
 * (buildProgram), so a new command is covered without editing this file: --help prints its usage and
 * an example and runs nothing; an unknown option, a missing argument and a malformed value each exit 2
 * with one line naming the problem, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { allCommands, buildProgram } from '../worker/cli/program';
import { runCli } from '../worker/cli/run';
import { bashCompletion } from '../worker/cli/completion';
import { spawnCli } from './helpers/cli';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Whether any command's action (the part that starts, provisions or writes) was reached. */
  acted: boolean;
}

/** In-process: commander's output captured, and a hook that records any action being reached. */
async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const output = { writeOut: (text: string) => void (stdout += text), writeErr: (text: string) => void (stderr += text) };
  const program = buildProgram(output);
  let acted = false;
  program.hook('preAction', () => {
    acted = true;
  });
  const code = await runCli(args, { program, output });
  return { code, stdout, stderr, acted };
}

const tree = allCommands(buildProgram());
const names = tree.map(({ path }) => path.join(' '));

/**
 * Placeholder values for what a command cannot run without: its required arguments and mandatory
 * options (the first allowed choice where there are choices), all but `except`.
 */
function requiredArgs(command: CommandUnknownOpts, except?: string): string[] {
  const args = command.registeredArguments.filter((a) => a.required).map((a) => a.argChoices?.[0] ?? '1001');
  const options = command.options.filter((o) => o.mandatory && o.long !== except).flatMap((o) => [o.long ?? '', o.argChoices?.[0] ?? 'placeholder']);
  return [...args, ...options];
}

function expectOneLineUsageError(result: Run, mentions: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(mentions);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('the command tree', () => {
  it('has every command of the CLI, subcommands included', () => {
    // Guards the walk itself: if it found nothing, every test below would pass vacuously.
    expect(names).toEqual(expect.arrayContaining(['start', 'serve', 'worker', 'ingress', 'sandbox', 'lead show', 'lead reject', 'lead retry', 'leads stuck', 'reconcile', 'sla check', 'sla render', 'setup-temporal', 'provision', 'completion']));
  });
});

describe.each(tree.map(({ path, command }) => ({ name: path.join(' '), path, command })))('handoff-bridge $name', ({ path, command }) => {
  it.each(['--help', '-h'])('%s prints usage, options and an example, exits 0, and runs nothing', async (flag) => {
    const result = await run(...path, flag);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Usage: handoff-bridge ${path.join(' ')} `);
    expect(result.stdout).toContain('-h, --help');
    expect(result.stdout).toMatch(/\nExamples?:\n {2}\$ handoff-bridge /);
    expect(result.acted).toBe(false);
  });

  it('refuses an unknown option in one line, exit 2', async () => {
    expectOneLineUsageError(await run(...path, ...requiredArgs(command), '--no-such-option'), "unknown option '--no-such-option'");
  });

  const missing = [
    ...(command.commands.length ? [{ what: 'its subcommand', args: [] as string[], mentions: 'needs a command' }] : []),
    ...command.registeredArguments.filter((a) => a.required).map((a) => ({ what: `<${a.name()}>`, args: requiredArgs(command).slice(command.registeredArguments.filter((r) => r.required).length), mentions: `missing required argument '${a.name()}'` })),
    ...command.options.filter((o) => o.mandatory).map((o) => ({ what: `option ${o.long ?? ''}`, args: requiredArgs(command, o.long), mentions: `required option '${o.flags}' not specified` })),
    ...command.options.filter((o) => o.required).map((o) => ({ what: `the value of ${o.long ?? ''}`, args: [...requiredArgs(command, o.long), o.long ?? ''], mentions: `option '${o.flags}' argument missing` })),
  ];
  it.runIf(missing.length).each(missing)('refuses a missing $what in one line, exit 2', async ({ args, mentions }) => {
    expectOneLineUsageError(await run(...path, ...args), mentions);
  });

  const validatedOptions = command.options.filter((o) => o.required && (o.parseArg !== undefined || o.argChoices !== undefined));
  const validatedArgs = command.registeredArguments.filter((a) => a.argChoices !== undefined || a.parseArg !== undefined);
  const malformed = [
    ...validatedOptions.map((o) => ({ what: o.long ?? '', args: [...requiredArgs(command, o.long), o.long ?? '', 'bogus value!'], mentions: `option '${o.flags}' argument 'bogus value!' is invalid` })),
    ...validatedArgs.map((a) => ({ what: `<${a.name()}>`, args: ['bogus value!'], mentions: `value 'bogus value!' is invalid for argument '${a.name()}'` })),
  ];
  it.runIf(malformed.length).each(malformed)('refuses a malformed $what in one line, exit 2', async ({ args, mentions }) => {
    expectOneLineUsageError(await run(...path, ...args), mentions);
  });
});

describe('handoff-bridge', () => {
  it('prints its version, its overview with -h, and refuses an unknown command in one line', async () => {
    const version = await run('--version');
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = await run('-h');
    expect(help.code).toBe(0);
    for (const name of names.filter((n) => !n.includes(' '))) expect(help.stdout).toMatch(new RegExp(`\\n {2}${name}\\b`));
    expectOneLineUsageError(await run('bogus'), "unknown command 'bogus'");
  });

  it('lead retry takes one contact, or --all with --step, and refuses any other mix in one line, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['lead', 'retry', '--portal', '62515'], "missing required argument 'contactId'"],
      [['lead', 'retry', '--all'], 'lead retry --all needs --step STEP'],
      [['lead', 'retry', '1001', '--all', '--step', 'assignLead'], 'give a contactId or --all, not both'],
      [['lead', 'retry', '--all', '--step', 'assignLead" OR LeadStage = "MQL'], "option '--step <step>' argument"],
    ];
    for (const [args, mentions] of cases) expectOneLineUsageError(await run(...args), mentions);
  });

  it('completes commands, subcommands and options in bash from the same tree', async () => {
    const script = bashCompletion(buildProgram());
    const complete = (...words: string[]) =>
      new Promise<string>((resolve, reject) => {
        const probe = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _handoff_bridge; echo "\${COMPREPLY[*]}"`;
        const child = spawn('bash', ['-c', probe], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      });
    expect(await complete('handoff-bridge', 'le')).toBe('lead leads');
    expect(await complete('handoff-bridge', 'lead', '')).toBe('show accept reject retry rebase-contract --help -h');
    expect((await complete('handoff-bridge', 'leads', 'stuck', '--q')).split(' ')).toEqual(['--query']);
  });
});

describe('bin/handoff-bridge.mjs', () => {
  it('shows help for the commands that start things without starting, provisioning or writing anything; refuses a bad option', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-help-'));
    const [start, provision, bogus] = await Promise.all([
      spawnCli(['start', '--help'], { cwd, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } }),
      spawnCli(['provision', '-h'], { cwd, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } }),
      spawnCli(['lead', '--bogus'], { cwd, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } }),
    ]);
    for (const [name, result] of [['start', start], ['provision', provision]] as const) {
      expect(result.code, name).toBe(0);
      expect(result.stdout).toContain(`Usage: handoff-bridge ${name}`);
      expect(result.stderr).toBe('');
    }
    expect(bogus).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--bogus'\n" });
    expect(readdirSync(cwd)).toEqual([]);
  });
});
