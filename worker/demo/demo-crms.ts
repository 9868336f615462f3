/**
 * The demo's CRMs: both sandboxes on their usual ports (4010, 4020) when free, else any free port;
 * the emulated connector on the demo contract's short cycle and inclusion list, so the handoffs live
 * with real sync lag; HubSpot's webhooks pointed at the bridge's ingress; and the portal made ready
 * for the contract (reps as users and owners, alerts to the local chat, the nurture list).
 */
import { createServer } from 'node:net';
import { HUBSPOT_PROPERTIES as P } from '../../mappings/crm';
import { evaluatePredicate, type Contract } from '../../mappings/contract';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { prepareSandboxPortal } from '../../sandbox/prepare-portal';

export interface DemoPortal {
  sandboxes: Sandboxes;
  /** The contract with the sandbox's rep ids and the local chat's addresses: what the bridge enforces. */
  contract: Contract;
}

export interface DemoPortalOptions {
  contract: Contract;
  portalId: string;
  ports: { hubspot: number; salesforce: number };
  /** The bridge ingress's public URL: HubSpot signs the webhook URL it calls. */
  ingressUrl: string;
  chatUrl: string;
  cycleMs: number;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function preferred(port: number): Promise<number> {
  return port !== 0 && (await portIsFree(port)) ? port : 0;
}

/** Contact properties a handoff depends on: a change to any of them reaches the open handoff. */
function subscribedProperties(contract: Contract): string[] {
  return [...new Set([P.lifecycleStage, ...contract.dataCompleteness.requiredProperties])];
}

export async function startDemoPortal(options: DemoPortalOptions): Promise<DemoPortal> {
  const { contract } = options;
  const sandboxes = await startSandboxes({
    hubspot: {
      port: await preferred(options.ports.hubspot),
      portalId: Number(options.portalId),
      webhooks: {
        targetUrl: `${options.ingressUrl}/webhooks/hubspot`,
        subscriptions: subscribedProperties(contract).map((propertyName, i) => ({ id: i + 1, propertyName })),
        // A local ingress that does not answer is starting or stopping: retry soon, not in a minute.
        retryBaseMs: 2_000,
      },
    },
    salesforce: { port: await preferred(options.ports.salesforce) },
    connector: {
      cycleMs: options.cycleMs,
      fieldMappings: contract.fieldMappings,
      inclusion: (properties) => contract.connector.inclusion.every((predicate) => evaluatePredicate(predicate, properties, new Date())),
    },
  });
  const prepared = prepareSandboxPortal(contract, sandboxes, options.chatUrl);
  return { sandboxes, contract: prepared.contract };
}
