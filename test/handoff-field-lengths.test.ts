/**
 * HubSpot text is longer than Salesforce allows (LastName 80, Company 255, Title 128 …): the bridge
 * cuts what it copies into a new lead to fit, so the create is not refused (STRING_TOO_LONG, as the
 * sandbox answers), and the lead's timeline says which fields were cut. Dev server, real clients.
 */
import { describe, expect, it } from 'vitest';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { stateQuery, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { eventually, salesforceLeadsOf, useDevServerHarness, withHandoffWorkers } from './helpers/handoff';

const harness = useDevServerHarness();

describe('text longer than the Salesforce field', () => {
  it('is cut to the field length in the new lead, with a timeline note per field', async () => {
    const [env, h] = [harness.env(), harness.h()];
    const lastName = `${'L'.repeat(79)}é${'x'.repeat(15)}`; // 95 characters
    const company = 'C'.repeat(300);
    const contactId = h.createMql({ lastname: lastName, company, jobtitle: 'Head of Data' });
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const handle = await env.client.workflow.start(leadHandoff, {
        taskQueue,
        workflowId: handoffWorkflowId({ portalId: h.portalId, contactId }),
        args: [{ portalId: h.portalId, contactId, trigger: { source: 'cli', observedAt: new Date().toISOString() } }],
      });
      const lead = await eventually(() => salesforceLeadsOf(h, contactId)[0], 'the new Salesforce lead');
      expect(lead.fields[SF.lastName]).toBe(lastName.slice(0, 80));
      expect(lead.fields[SF.company]).toBe(company.slice(0, 255));
      expect(lead.fields[SF.title]).toBe('Head of Data');
      const state = await eventually(async () => {
        const s = await handle.query(stateQuery);
        return s.timeline.some((t) => t.detail?.includes('Company cut')) ? s : undefined;
      }, 'the timeline notes');
      const notes = state.timeline.map((t) => t.detail ?? '').filter((d) => d.includes(' cut to '));
      expect(notes).toEqual(['LastName cut to 80 characters for Salesforce (HubSpot has 95)', 'Company cut to 255 characters for Salesforce (HubSpot has 300)']);
      // The timeline names fields and lengths, never the values.
      expect(JSON.stringify(state.timeline)).not.toContain('LLLLLLLLLL');
      await handle.terminate('test over');
    });
  });
});
