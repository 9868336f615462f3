/**
 * contractRegistry: the durable home of a deployment's contract versions, each stored under its
 * content hash. A handoff pins the hash of the version it started on; its activities, on whichever
 * replica they run, read that version from here (once per process: a version never changes). Worker
 * processes register the contract they run before any handoff can pin it; `lead rebase-contract`
 * registers the one it moves handoffs to. Versions are kept for good (a few KB each, a handful a year)
 * because a handoff can stay open for months on an old one.
 */
import { defineQuery, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Contract } from '../mappings/contract';
import { workflowNow } from './clock';
import { rollOver, rollOverPoint } from './entity-rollover';
import {
  CONTRACT_VERSION_QUERY,
  CONTRACT_VERSIONS_QUERY,
  REGISTER_CONTRACT_UPDATE,
  type ContractRegistryInput,
  type RegisterContractInput,
  type RegisteredVersion,
} from '../api/contract-registry';

export const registerContractUpdate = defineUpdate<RegisteredVersion, [RegisterContractInput]>(REGISTER_CONTRACT_UPDATE);
export const contractVersionQuery = defineQuery<Contract | null, [string]>(CONTRACT_VERSION_QUERY);
export const contractVersionsQuery = defineQuery<RegisteredVersion[]>(CONTRACT_VERSIONS_QUERY);

/** A run rolls over past this much history (each registration adds one contract, ≈ 10 KB). */
export const REGISTRY_HISTORY_BYTES = 1024 * 1024;

const HASH = /^c-[0-9a-f]{16}$/;

export async function contractRegistry(input: ContractRegistryInput): Promise<never> {
  const versions = new Map((input.versions ?? []).map((v) => [v.hash, v]));
  setHandler(
    registerContractUpdate,
    ({ hash, contract }) => {
      const known = versions.get(hash);
      if (known) return { hash, registeredAt: known.registeredAt };
      const registeredAt = workflowNow().toISOString();
      versions.set(hash, { hash, registeredAt, contract });
      return { hash, registeredAt };
    },
    {
      validator: ({ hash }: RegisterContractInput) => {
        if (!HASH.test(hash)) throw new Error(`contract hash must be "c-" and 16 hex digits, got ${JSON.stringify(hash)}`);
      },
    },
  );
  setHandler(contractVersionQuery, (hash: string) => versions.get(hash)?.contract ?? null);
  setHandler(contractVersionsQuery, () => [...versions.values()].map(({ hash, registeredAt }) => ({ hash, registeredAt })));

  await rollOverPoint(() => workflowInfo().continueAsNewSuggested || workflowInfo().historySize >= REGISTRY_HISTORY_BYTES);
  return rollOver<typeof contractRegistry>()({ versions: [...versions.values()] });
}
