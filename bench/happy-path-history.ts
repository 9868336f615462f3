/**
 * History events of one handoff on the happy path, start to close: MQL webhook (started with the change as trigger),
 * qualified, Salesforce lead created, routed, assigned, alerted, accepted through the signed link,
 * contact attempts measured, closed as accepted after the follow-up period. Runs on the time-skipping
 * server, so the follow-up's 60 days pass in seconds; counted from fetchHistory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createHubSpotAdapter, createSalesforceAdapter } from '../activities/crm';
import { createNotifier, actionUrls } from '../activities/notify';
import { createBridgeWorkers } from '../worker/bridge-workers';
import { startOrSignalHandoff } from '../worker/handoff-starter';
import { acceptUpdate, type leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { SEARCH_ATTRIBUTES } from '../api/search-attributes';
import { localActivityMarker } from './support/history';
import { startAlertInbox } from './support/inbox';
import { startBenchPortal } from './support/portal';

const INDEXED = proto.temporal.api.enums.v1.IndexedValueType;
const INDEXED_BY_TYPE: Partial<Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.KEYWORD]: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: INDEXED.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.BOOL]: INDEXED.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.INT]: INDEXED.INDEXED_VALUE_TYPE_INT,
};

export interface HappyPathHistory {
  events: number;
  outcome: string;
  /** One line per event: its type and what it names (activity, marker, timer, signal, update). */
  listing: string[];
}

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** A marker, and for a local activity's the activity type its details name. */
function markerName(marker: proto.temporal.api.history.v1.IMarkerRecordedEventAttributes): string {
  const activityType = localActivityMarker(marker)?.type;
  return `${marker.markerName ?? ''}${activityType ? ` ${activityType}` : ''}`;
}

/** What an event is about, for the listing: the activity, marker, signal or update it names. */
function describeEvent(event: HistoryEvent): string {
  const type = proto.temporal.api.enums.v1.EventType[event.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '') ?? String(event.eventType);
  const name =
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    (event.markerRecordedEventAttributes ? markerName(event.markerRecordedEventAttributes) : undefined) ??
    event.workflowExecutionSignaledEventAttributes?.signalName ??
    event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
    (event.timerStartedEventAttributes ? `timer ${event.timerStartedEventAttributes.timerId ?? ''}` : undefined) ??
    (event.upsertWorkflowSearchAttributesEventAttributes ? Object.keys(event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {}).join(',') : undefined) ??
    '';
  return `${String(event.eventId)} ${type}${name ? ` ${name}` : ''}`;
}

export async function countHappyPathEvents(testServerPath: string, bundlePath: string): Promise<HappyPathHistory> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath } } });
  const inbox = await startAlertInbox();
  const portal = await startBenchPortal({ inboxUrl: inbox.url });
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_BY_TYPE[key.type] ?? INDEXED.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    const { hubspot, salesforce } = portal.sandboxes;
    const taskQueue = `happy-path-${randomUUID()}`;
    const workers = await createBridgeWorkers({
      connection: env.nativeConnection,
      client: env.client,
      taskQueue,
      contract: () => portal.contract,
      hubspot: createHubSpotAdapter({ accessToken: hubspot.accessToken, basePath: hubspot.baseUrl }),
      salesforce: createSalesforceAdapter({ instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.loginUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret }),
      notifier: createNotifier({ from: 'handoff-bridge@bench.example' }),
      actionLinks: (link) => actionUrls('http://127.0.0.1:8787', link, 'benchmark-link-signing-secret-0123456789'),
      workflowBundle: { codePath: bundlePath },
    });
    const running = workers.run();
    try {
      const contactId = portal.createMql();
      const occurredAt = new Date().toISOString();
      const { workflowId } = await startOrSignalHandoff(env.client, {
        portalId: portal.portalId,
        contactId,
        taskQueue,
        trigger: { source: 'webhook', observedAt: occurredAt, eventId: '1' },
        change: { eventId: '1', propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', occurredAt },
      });
      await inbox.waitForAlert(workflowId, 60_000);
      const handle = env.client.workflow.getHandle<typeof leadHandoff>(handoffWorkflowId({ portalId: portal.portalId, contactId }));
      const assigned = await handle.executeUpdate(acceptUpdate, { args: [{ actor: 'rep', via: 'link' }] });
      const result = await handle.result();
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      return { events: events.length, outcome: `${result.outcome} (stage ${assigned.stage} on accept)`, listing: events.map(describeEvent) };
    } finally {
      workers.shutdown();
      await running;
    }
  } finally {
    await portal.sandboxes.stop();
    await inbox.close();
    await env.teardown();
  }
}

// Run alone (`npx tsx bench/happy-path-history.ts`): the count and every event, one per line.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { temporalBinaries, writeWorkflowBundle } = await import('./support/temporal');
  const binaries = await temporalBinaries();
  const bundlePath = await writeWorkflowBundle(mkdtempSync(join(tmpdir(), 'handoff-happy-path-')));
  const happy = await countHappyPathEvents(binaries.testServer, bundlePath);
  console.log(`history events, happy path: ${happy.events} (${happy.outcome})`);
  for (const line of happy.listing) console.log(`  ${line}`);
}
