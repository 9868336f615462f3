/**
 * What reconciliation needs beyond HubSpotPort and SalesforcePort: property history and the
 * Salesforce records the funnel and the contact-attempt commitment are measured from (all read in
 * batches), and a report store where full item lists live so workflow history keeps only counts.
 */
import type { ContactHistory, ReconcileReport } from '../../mappings/metrics';

export interface LeadTask {
  leadId: string;
  type: string;
  createdAt: string;
}

/** HubSpot refuses a history batch read of more than 50 inputs (400 VALIDATION_ERROR). */
export const HUBSPOT_HISTORY_BATCH = 50;

export interface ReconcileReadsPort {
  /** Property histories of many contacts through batch reads (≤ HUBSPOT_HISTORY_BATCH contacts a request). */
  contactHistories(input: { contactIds: string[]; properties: string[] }): Promise<ContactHistory[]>;
  /** StageName of many opportunities, by id, through `Id IN (…)` queries of ≤ 200 ids. */
  opportunityStages(input: { opportunityIds: string[] }): Promise<Record<string, string>>;
  /** Tasks logged on many leads since an instant, through `WhoId IN (…)` queries of ≤ 200 ids. */
  leadTasks(input: { leadIds: string[]; since: string }): Promise<LeadTask[]>;
}

/** A directory of files per reconciliation run; run ids sort by time. */
export interface ReportStore {
  readonly root: string;
  write(input: { runId: string; name: string; content: string }): Promise<string>;
  read(input: { runId: string; name: string }): Promise<string | null>;
  /** Run ids that hold `name`, oldest first. */
  runsWith(name: string): Promise<string[]>;
}

/** Turns the report into one file for people or tools (Markdown, HTML, CSV); JSON is written as is. */
export interface ReportRenderer {
  file: string;
  render(report: ReconcileReport): string;
}
