/**
 * `handoff-bridge sla check|render`: lint the SLA contract (findings with file, line and path, plus
 * each commitment's lineage) and render the signed SLA document.
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from '@commander-js/extra-typings';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { checkContract, hasErrors } from '../../mappings/check';
import { formatFinding, commitmentLineage, describeCrossing } from '../../mappings/contract';
import { defaultContractPath, isPreset, loadContractWithSource, presetPath, PRESETS, type ParsedContract } from '../../mappings/load';
import { renderSlaDocument } from '../../mappings/document';
import { checkContractLive, metadataOptionsFromEnv } from '../live-check';
import { formatPoolRead, type PoolReport } from '../../mappings/routing';
import { connectClientFromEnv } from '../temporal-client';
import { formatRecordedPools, recordedPools } from '../pool-history';
import { registerWhatIf } from './sla-whatif';

export const summary = 'check the SLA contract (sla check), render the SLA document (sla render --out FILE), or replay the record under a proposal (sla whatif)';

/** Where the contract comes from: --contract PATH, --preset NAME, else $HANDOFF_CONTRACT, else the default preset. */
export interface ContractChoice {
  contract?: string;
  preset?: string;
}

function contractPathOf(choice: ContractChoice): string {
  if (choice.contract !== undefined) return choice.contract;
  if (choice.preset !== undefined && isPreset(choice.preset)) return presetPath(choice.preset);
  return defaultContractPath();
}

function printLineage(parsed: ParsedContract): void {
  console.log('\nlineage (the dashboard lives in HubSpot):');
  for (const l of commitmentLineage(parsed.contract)) {
    console.log(`  ${l.commitmentId}: ${l.start.system}:${l.start.field} → ${l.stop.system}:${l.stop.field}; ${describeCrossing(l)}`);
    if (l.signalMissing) console.log(`    ${l.signalMissing}`);
  }
}

function check(parsed: ParsedContract): number {
  const findings = checkContract(parsed.contract, parsed.sourceMap);
  for (const f of findings) console.log(formatFinding(f));
  printLineage(parsed);
  const errors = findings.filter((f) => f.severity === 'error').length;
  console.log(`\n${parsed.sourceMap.source}: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return hasErrors(findings) ? 1 : 0;
}

/** The offline lint first (a broken contract is not worth a CRM read), then the CRMs. */
async function checkLive(parsed: ParsedContract): Promise<number> {
  const offline = check(parsed);
  console.log('\nagainst the CRMs:');
  let result;
  try {
    result = await checkContractLive(parsed, metadataOptionsFromEnv(process.env));
  } catch (err) {
    console.error(`could not read the CRMs' configuration: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  for (const line of result.lines) console.log(line);
  if (result.pool) await printPool(result.pool);
  return offline !== 0 || result.errors > 0 ? 1 : 0;
}

/**
 * The pool as read now, then the changes the routing queue recorded (`leads stuck` prints the same),
 * when Temporal is reachable (HUBSPOT_PORTAL_ID picks the portal's queue; else every running one).
 */
async function printPool(pool: PoolReport): Promise<void> {
  console.log('\nrouting pool, as read now:');
  for (const line of formatPoolRead(pool)) console.log(line);
  let client;
  try {
    client = await connectClientFromEnv();
    const portalId = process.env.HUBSPOT_PORTAL_ID?.trim();
    const recorded = await recordedPools(client, portalId ? portalId : undefined);
    console.log('');
    for (const line of formatRecordedPools(recorded)) console.log(line);
  } catch (err) {
    console.log(`\nrouting pool changes: not read from the routing queue (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    await client?.connection.close();
  }
}

function render(parsed: ParsedContract, out: string): number {
  const findings = checkContract(parsed.contract, parsed.sourceMap);
  for (const f of findings.filter((x) => x.severity === 'error')) console.error(formatFinding(f));
  writeFileSync(out, renderSlaDocument(parsed.contract, { now: new Date() }));
  console.log(`wrote ${out} from ${parsed.sourceMap.source}${hasErrors(findings) ? ' (the contract has errors: the document rates it BROKEN)' : ''}`);
  return 0;
}

/**
 * `sla check`: findings and lineage; exit 1 when the contract has errors (a ContractError reaches the
 * CLI's boundary). `live`: the contract against the CRMs the environment points at, too.
 */
export async function slaCheck(choice: ContractChoice & { live?: boolean }): Promise<number> {
  const parsed = loadContractWithSource(contractPathOf(choice));
  return choice.live ? checkLive(parsed) : check(parsed);
}

/** `sla render`: the SLA document, written to `out`. */
export function slaRender(choice: ContractChoice & { out: string }): number {
  return render(loadContractWithSource(contractPathOf(choice)), choice.out);
}

const contractOption = () => new Option('--contract <path>', 'the SLA contract (YAML) to use; default $HANDOFF_CONTRACT, else the default preset').conflicts('preset');
const presetOption = () => new Option('--preset <name>', 'a shipped contract instead of a file').choices(PRESETS);

export function register(program: Command): void {
  const sla = program.command('sla').description(summary);
  withExamples(sla, 'sla check', 'sla render --out sla.md', 'sla whatif --contract proposed.yaml --since 90d');
  const checkCommand = sla
    .command('check')
    .description("lint the SLA contract: findings with file, line and path, and each commitment's lineage; with --live, also against the CRMs; exit 1 on errors")
    .addOption(contractOption())
    .addOption(presetOption())
    .option('--live', 'also check the contract against the CRMs the environment points at (the sandboxes without credentials): reps, Lead fields and picklists, HubSpot properties, nurture lists');
  withExamples(checkCommand, 'sla check', 'sla check --preset account-based', 'sla check --contract contracts/acme.yaml --live');
  checkCommand.action((options) => exitWith(slaCheck(options)));

  const renderCommand = sla
    .command('render')
    .description('render the signed SLA document (Markdown with diagrams)')
    .addOption(contractOption())
    .addOption(presetOption())
    .requiredOption('--out <file>', 'where to write the document');
  withExamples(renderCommand, 'sla render --out sla.md', 'sla render --preset account-based --out sla.md');
  renderCommand.action((options) => exitWith(slaRender(options)));
  registerWhatIf(sla);
}
