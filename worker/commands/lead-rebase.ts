/**
 * `handoff-bridge lead rebase-contract <contactId> | --all`: move open handoffs to a contract version
 * (worker/contract-rebase.ts). New handoffs take the contract the workers run; open ones only move by
 * this explicit command.
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { loadContract } from '../../mappings/load';
import { HANDOFF_TASK_QUEUE } from '../../api/ids';
import { rebaseHandoffs, rebaseSummary } from '../contract-rebase';
import { connectClientFromEnv } from '../temporal-client';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';

export interface RebaseOptions {
  portal?: string;
  all?: boolean;
  contract?: string;
  taskQueue: string;
  as?: string;
}

/** Exit 1 when a handoff refused the move (it is over, or there is no such handoff). */
export async function rebaseContract(contactId: string | undefined, options: RebaseOptions): Promise<number> {
  const contract = loadContract(options.contract);
  const client = await connectClientFromEnv();
  try {
    const target = { client, taskQueue: options.taskQueue, contract, actor: `cli:${options.as ?? process.env.USER ?? 'operator'}` };
    const scope =
      contactId !== undefined && options.portal !== undefined
        ? { portalId: options.portal, contactId }
        : { all: true as const, ...(options.portal !== undefined ? { portalId: options.portal } : {}) };
    const { hash, outcomes } = await rebaseHandoffs(target, scope);
    console.log(`contract version ${hash} registered (${options.contract ?? 'the default contract'})`);
    for (const outcome of outcomes) console.log(`  ${outcome.line}`);
    console.log(rebaseSummary(hash, outcomes));
    return outcomes.every((o) => o.result !== 'refused') ? 0 : 1;
  } finally {
    await client.connection.close();
  }
}

export function registerRebaseContract(group: Command): void {
  const command = group
    .command('rebase-contract')
    .description(
      'move an open handoff (or, with --all, every open one) to a contract version: it is registered for every worker replica, and the handoff runs on it from its next step (a running acceptance window keeps its deadline)',
    )
    .argument('[contactId]', 'the HubSpot contact id (omit with --all)')
    .addOption(new Option('--portal <id>', 'the HubSpot portal (hub) id').env('HUBSPOT_PORTAL_ID'))
    .option('--all', 'every open handoff (in --portal, if given)')
    .addOption(new Option('--contract <path>', 'the SLA contract (YAML) to move them to; default $HANDOFF_CONTRACT, else the default preset'))
    .addOption(new Option('--task-queue <name>', "the bridge's orchestration task queue, which names the contract registry").env('HANDOFF_TASK_QUEUE').default(HANDOFF_TASK_QUEUE))
    .option('--as <name>', 'who acts, recorded in the timeline (default: $USER)');
  withExamples(command, 'lead rebase-contract 1001 --portal 62515 --contract contract.yaml', 'lead rebase-contract --all --contract contract.yaml');
  command.action((contactId, options, self) => {
    if (options.all && contactId !== undefined) usageError(self, `give a contactId or --all, not both (got ${contactId})`);
    if (!options.all && contactId === undefined) usageError(self, "missing required argument 'contactId' (or --all)");
    if (!options.all && !options.portal) usageError(self, 'the HubSpot portal id is needed: pass --portal ID or set HUBSPOT_PORTAL_ID');
    return exitWith(rebaseContract(contactId, options));
  });
}
