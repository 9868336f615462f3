import type { Command } from '@commander-js/extra-typings';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { createStatusLine } from '../report/progress-bar';
import { defaultToolsDir, provisionTemporal } from '../temporal-binaries';

export const summary = 'find or install the Temporal CLI and the time-skipping test server';

/** Download progress on one redrawn line at a terminal, plain lines in logs; failures reach the CLI's boundary. */
export async function provision(): Promise<number> {
  const status = createStatusLine();
  const binaries = await provisionTemporal({ toolsDir: defaultToolsDir(), onProgress: status.update });
  status.finish();
  console.log(`temporal CLI:         ${binaries.cli} (${binaries.source.cli})`);
  console.log(`time-skipping server: ${binaries.testServer} (${binaries.source.testServer})`);
  return 0;
}

export function register(program: Command): void {
  const command = program
    .command('provision')
    .summary(summary)
    .description(`${summary} (under .tools/; npm install runs it). Idempotent.`);
  withExamples(command, 'provision');
  command.action(() => exitWith(provision()));
}
