/** Phase 1, qualify: the contract's MQL definition and data-completeness bar, on what HubSpot says now. */
import type { ContactSnapshot, HandoffResult } from '../../api/handoff';
import { LEAD_SOURCE } from '../../api/search-attributes';
import { evaluateDefinition, missingRequired } from '../../mappings/contract';
import { HUBSPOT_PROPERTIES as HS } from '../../mappings/crm';
import { workflowNow } from '../clock';
import { episodeLedger } from './episode-stamps';
import type { HandoffRun } from './run';

/** How long a lead returned for incomplete data waits for marketing to complete it. */
const INCOMPLETE_DATA_WAIT = '30 days';

/** The handoff's result when it ends here; undefined when the lead is an MQL with complete data. */
export async function qualify(run: HandoffRun): Promise<HandoffResult | undefined> {
  const { input, state, contract } = run;
  run.contact = ingressRead(run) ?? (await run.hubspot.readContact({ contactId: input.contactId, contractHash: run.hash }));
  if (!run.contact) return run.finish('contact_missing');
  const props = () => run.props();
  run.setAttributes([{ key: LEAD_SOURCE, value: props()[HS.leadSource] ?? 'UNKNOWN' }]);
  run.leadLabel = `${props()[HS.company] ?? 'unknown company'} (contact ${input.contactId})`;
  run.setMemo({ lead: run.leadLabel });
  state.marks.mqlAt = props()[HS.mqlDate] ?? undefined;
  run.episode = episodeLedger(props()[HS.handoffEpisodes], { missedBy: run.missedBy, missingAtHandover: () => run.missingAtHandover });

  if (alreadyHandled(props())) {
    run.note('this MQL episode already has a recorded outcome; nothing to do');
    return run.finish('already_handled');
  }
  const mql = evaluateDefinition(contract.definitions.mql, props(), workflowNow());
  if (!mql.met) {
    run.advance('not_qualified', mql.unmet.join('; '));
    return run.finish('not_qualified');
  }
  for (;;) {
    const missing = missingRequired(contract.dataCompleteness.requiredProperties, props());
    if (!missing.length) break;
    // Counted before the write: a completion that arrives while HubSpot is written still wakes the wait.
    const seen = run.contactChanges;
    if (state.stage !== 'ReturnedToMarketing') {
      run.advance('data_incomplete', `missing: ${missing.join(', ')}`);
      await run.writeHubSpot({ [HS.handoffOutcome]: 'RETURNED_INCOMPLETE', [HS.handoffOutcomeAt]: workflowNow().toISOString() });
    }
    if (!(await run.waitFor(() => run.contactChanges > seen, INCOMPLETE_DATA_WAIT))) return run.finish('returned_incomplete');
    run.contact = (await run.hubspot.readContact({ contactId: input.contactId, contractHash: run.hash })) ?? run.contact;
  }
  run.advance(state.stage === 'ReturnedToMarketing' ? 'requalified' : 'mql_confirmed');
  return undefined;
}

/**
 * The contact as the ingress read it to find the priority leads (a moment before the start), when it
 * read the properties of the contract version this handoff runs on; else the handoff reads it itself.
 */
function ingressRead(run: HandoffRun): ContactSnapshot | undefined {
  const read = run.input.contactRead;
  return read && read.contractHash === run.hash && read.contact.id === run.input.contactId ? read.contact : undefined;
}

function alreadyHandled(p: Record<string, string | null>): boolean {
  const outcomeAt = p[HS.handoffOutcomeAt];
  const mqlAt = p[HS.mqlDate];
  return Boolean(outcomeAt && mqlAt && outcomeAt >= mqlAt && p[HS.handoffOutcome] !== 'RETURNED_INCOMPLETE');
}
