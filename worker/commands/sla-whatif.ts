/**
 * `handoff-bridge sla whatif --contract proposed.yaml --since 90d`: the quarterly recalibration's
 * question — would the proposed definition, window, calendar or routing have done better? — answered
 * from the bridge's own records. Reads the recorded episodes read-only (activities/whatif-facts.ts),
 * replays them under the proposal (mappings/whatif-*.ts) and prints what happened next to what would
 * have. No CRM write, no Temporal workflow.
 */
import { InvalidArgumentError, Option, type Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { createHubSpotAdapter } from '../../activities/crm';
import { createReconcileReadsAdapter } from '../../activities/reconcile';
import { createSalesforceAdapter } from '../../activities/crm';
import { readWhatIfFacts } from '../../activities/reconcile';
import { ContractError, defaultContractPath, loadContract } from '../../mappings/load';
import type { Contract } from '../../mappings/contract';
import { whatIf, type WhatIfResult } from '../../mappings/whatif';
import { usageError, withExamples } from '../cli/declare';
import { describeError, exitWith } from '../cli/errors';
import { metadataOptionsFromEnv } from '../live-check';
import { renderWhatIf } from '../report/whatif-text';

const DAY_MS = 86_400_000;

/** `90d`, `12w`, or a date (`2026-09-01`): the start of the period replayed. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*(d|w)$/.exec(value.trim());
  if (relative) {
    const n = Number(relative[1]);
    if (n <= 0) throw new InvalidArgumentError('must be longer than zero, e.g. 90d');
    return new Date(now - n * (relative[2] === 'w' ? 7 : 1) * DAY_MS);
  }
  if (/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value.trim()) && !Number.isNaN(Date.parse(value))) {
    const at = new Date(value.trim());
    if (at.getTime() >= now) throw new InvalidArgumentError('must be in the past');
    return at;
  }
  throw new InvalidArgumentError('must be a period like 90d or 12w, or a date like 2026-09-01');
}

export interface WhatIfOptions {
  contract: Contract;
  actual: Contract;
  since: string;
  json?: boolean;
}

export async function slaWhatIf(options: WhatIfOptions, labels: { proposed: string; actual: string }): Promise<number> {
  const now = new Date();
  const since = parseSince(options.since, now.getTime());
  const { actual } = options;
  const crm = metadataOptionsFromEnv(process.env);
  const hubspotOptions = { accessToken: crm.hubspot.accessToken, ...(crm.hubspot.basePath ? { basePath: crm.hubspot.basePath } : {}) };
  const deps = {
    hubspot: createHubSpotAdapter(hubspotOptions),
    salesforce: createSalesforceAdapter(crm.salesforce),
    reads: createReconcileReadsAdapter({ hubspot: hubspotOptions, salesforce: crm.salesforce }),
  };
  const read = await readWhatIfFacts(deps, { actual, proposed: options.contract, since: since.toISOString() });
  const result: WhatIfResult = whatIf({ actual, proposed: options.contract, facts: read.facts, histories: read.histories, historyRead: read.historyRead, window: { from: since.toISOString(), to: now.toISOString() }, now: now.toISOString() });
  if (options.json) console.log(JSON.stringify({ contracts: labels, apiCalls: read.calls, ...result }, null, 2));
  else console.log(renderWhatIf(result, labels));
  return 0;
}

/** A contract named on the command line that cannot be read is a bad command line: one line, exit 2. */
function contractFrom(command: CommandUnknownOpts, option: string, path: string): Contract {
  try {
    return loadContract(path);
  } catch (err) {
    if (err instanceof ContractError) usageError(command, `option '${option}': ${describeError(err)}`);
    throw err;
  }
}

export function registerWhatIf(sla: Command): void {
  const command = sla
    .command('whatif')
    .description('replay the recorded episodes under a proposed contract (MQL definition, windows, calendar, routing) and print them next to what happened; reads the CRMs, writes nothing')
    .requiredOption('--contract <path>', 'the proposed SLA contract (YAML)')
    .option('--actual <path>', 'the contract in force; default $HANDOFF_CONTRACT, else the default preset')
    .addOption(new Option('--since <period>', 'how far back to replay: 90d, 12w, or a date').default('90d').argParser((value: string) => (parseSince(value), value)))
    .option('--json', 'print the result as JSON (every episode\'s replay included)');
  withExamples(command, 'sla whatif --contract proposed.yaml --since 90d', 'sla whatif --contract proposed.yaml --since 2026-09-01 --json');
  command.action((options, self) => {
    const actualPath = options.actual ?? defaultContractPath();
    const contract = contractFrom(self, '--contract', options.contract);
    const actual = contractFrom(self, options.actual ? '--actual' : 'the contract in force', actualPath);
    return exitWith(slaWhatIf({ contract, actual, since: options.since, ...(options.json ? { json: true } : {}) }, { proposed: options.contract, actual: actualPath }));
  });
}
