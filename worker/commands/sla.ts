/**
 * `handoff-bridge sla check|render`: lint the SLA contract (findings with file, line and path, plus
 * each commitment's lineage) and render the signed SLA document.
 */
import { writeFileSync } from 'node:fs';
import { checkContract, hasErrors } from '../../mappings/check';
import { formatFinding } from '../../mappings/findings';
import { commitmentLineage } from '../../mappings/lineage';
import { ContractError, defaultContractPath, isPreset, loadContractWithSource, presetPath, PRESETS, type ParsedContract } from '../../mappings/load';
import { renderSlaDocument } from '../../mappings/document';
import { checkContractLive, metadataOptionsFromEnv } from '../live-check';

export const summary = 'check the SLA contract (sla check) or render the SLA document (sla render --out FILE)';

const USAGE = [
  'usage: handoff-bridge sla check  [--contract PATH | --preset NAME] [--live]',
  '       handoff-bridge sla render [--contract PATH | --preset NAME] --out FILE',
  '',
  `Without --contract or --preset: $HANDOFF_CONTRACT, else the default preset. Presets: ${PRESETS.join(', ')}.`,
  '--live also checks the contract against the CRMs the environment points at (the sandboxes without credentials).',
].join('\n');

class UsageError extends Error {}

interface Options {
  contractPath: string;
  out?: string;
  live: boolean;
}

function parseOptions(args: readonly string[]): Options {
  let contractPath: string | undefined;
  let out: string | undefined;
  let live = false;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--live') {
      live = true;
      continue;
    }
    const value = args[i + 1];
    if (flag !== '--contract' && flag !== '--preset' && flag !== '--out') throw new UsageError(`unknown option "${flag}"`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    i++;
    if (flag === '--out') out = value;
    else if (contractPath !== undefined) throw new UsageError('give either --contract or --preset, once');
    else if (flag === '--contract') contractPath = value;
    else if (isPreset(value)) contractPath = presetPath(value);
    else throw new UsageError(`unknown preset "${value}" (presets: ${PRESETS.join(', ')})`);
  }
  const path = contractPath ?? defaultContractPath();
  return out === undefined ? { contractPath: path, live } : { contractPath: path, out, live };
}

function printLineage(parsed: ParsedContract): void {
  console.log('\nlineage (the dashboard lives in HubSpot):');
  for (const l of commitmentLineage(parsed.contract)) {
    const crossing = l.crossesIntegration ? `crosses the connector${l.syncRule ? ` (${l.syncRule})` : ''}, lag up to ${l.lagMinutes} min` : 'no crossing';
    console.log(`  ${l.commitmentId}: ${l.start.system}:${l.start.field} → ${l.stop.system}:${l.stop.field}; ${crossing}`);
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
  return offline !== 0 || result.errors > 0 ? 1 : 0;
}

function render(parsed: ParsedContract, out: string | undefined): number {
  if (!out) throw new UsageError('sla render needs --out FILE');
  const findings = checkContract(parsed.contract, parsed.sourceMap);
  for (const f of findings.filter((x) => x.severity === 'error')) console.error(formatFinding(f));
  writeFileSync(out, renderSlaDocument(parsed.contract, { now: new Date() }));
  console.log(`wrote ${out} from ${parsed.sourceMap.source}${hasErrors(findings) ? ' (the contract has errors: the document rates it BROKEN)' : ''}`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub !== 'check' && sub !== 'render') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    const options = parseOptions(rest);
    const parsed = loadContractWithSource(options.contractPath);
    if (sub === 'check') return options.live ? await checkLive(parsed) : check(parsed);
    return render(parsed, options.out);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`sla: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ContractError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
