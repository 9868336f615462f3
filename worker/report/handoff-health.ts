/**
 * The report's "Handoffs that need a person" section: blocked handoffs counted by cause (each waits for
 * a fix and `lead retry`), and handoffs that ended Failed, by workflow id only.
 */
import type { HandoffHealth } from '../../mappings/metrics';
import { html } from './escape';
import { ITEMS_SHOWN } from './format';

const FIX = 'fix the cause in the CRM or the contract, then `npx handoff-bridge lead retry --all --step <step>`';

export function handoffHealthMarkdown(health: HandoffHealth, table: (header: string[], rows: Array<Array<string | number>>) => string[]): string[] {
  return [
    '## Handoffs that need a person',
    '',
    `${health.open} open handoffs; ${health.stuck} awaiting acceptance past deadline; ${health.blocked.total} blocked (a CRM refused a write: ${FIX}); ${health.failed.total} ended Failed.`,
    '',
    ...(health.blocked.byCause.length ? [...table(['Blocked step', 'CRM answer', 'Handoffs'], health.blocked.byCause.map((c) => [c.step, c.code, c.count])), ''] : []),
    ...(health.failed.total ? [`Ended Failed: ${health.failed.workflowIds.slice(0, ITEMS_SHOWN).join(', ')}${health.failed.total > ITEMS_SHOWN ? ` and ${health.failed.total - ITEMS_SHOWN} more` : ''}.`, ''] : []),
  ];
}

export function handoffHealthHtml(health: HandoffHealth): string {
  const causes = health.blocked.byCause
    .map((c) => `<tr data-step="${html(c.step)}" data-code="${html(c.code)}" data-count="${c.count}"><td>${html(c.step)}</td><td>${html(c.code)}</td><td class="num">${c.count}</td></tr>`)
    .join('');
  const failed = health.failed.workflowIds.slice(0, ITEMS_SHOWN).map((id) => `<li>${html(id)}</li>`).join('');
  return `<h2>Handoffs that need a person</h2>
<p id="handoff-health" data-open="${health.open}" data-stuck="${health.stuck}" data-blocked="${health.blocked.total}" data-failed="${health.failed.total}">${health.open} open handoffs; ${health.stuck} awaiting acceptance past deadline; ${health.blocked.total} blocked (a CRM refused a write: ${html(FIX)}); ${health.failed.total} ended Failed.</p>
${causes ? `<table id="blocked-causes"><thead><tr><th>Blocked step</th><th>CRM answer</th><th class="num">Handoffs</th></tr></thead><tbody>${causes}</tbody></table>` : ''}
${failed ? `<ul id="failed-handoffs">${failed}</ul>` : ''}`;
}
