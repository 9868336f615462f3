/**
 * One read of the contract's CRM pool (routing.pool): a Salesforce group's members through jsforce, or
 * a HubSpot team's owners through @hubspot/api-client, both through the adapters' call budgets.
 */
import type { Contract } from '../../mappings/contract';
import type { PoolSnapshot } from '../../mappings/routing';
import type { HubSpotPort, SalesforcePort } from '../ports';

export type PoolSettings = NonNullable<Contract['routing']['pool']>;

export interface PoolReadPorts {
  salesforce: Pick<SalesforcePort, 'readGroupMembers'>;
  hubspot: Pick<HubSpotPort, 'readTeamMembers'>;
}

/** The CRM's name for the pool, as the contract gives it. */
export function poolName(pool: PoolSettings): string {
  return pool.hubspotTeam ?? pool.salesforceGroup ?? '';
}

export async function readPool(pool: PoolSettings, ports: PoolReadPorts, readAt: Date): Promise<PoolSnapshot> {
  if (pool.hubspotTeam !== undefined) {
    const read = await ports.hubspot.readTeamMembers({ team: pool.hubspotTeam });
    return { crm: 'hubspot', group: pool.hubspotTeam, readAt: readAt.toISOString(), groupId: read?.teamId ?? null, members: read?.members ?? [] };
  }
  const group = pool.salesforceGroup ?? '';
  const read = await ports.salesforce.readGroupMembers({ groupName: group, ...(pool.outOfOfficeField ? { outOfOfficeField: pool.outOfOfficeField } : {}) });
  return { crm: 'salesforce', group, readAt: readAt.toISOString(), groupId: read?.groupId ?? null, members: read?.members ?? [] };
}
