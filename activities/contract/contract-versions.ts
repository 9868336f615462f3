/**
 * A worker process's view of the contract versions: the one it runs (new handoffs pin it) and every
 * other by hash, read from the deployment's registry (workflows/contract-registry.ts) once per process
 * and kept, since a version never changes. The hot path stays local: pinning the current version costs
 * one registration per process and contract, resolving it costs a hash lookup.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import type { Contract } from '../../mappings/contract';
import {
  CONTRACT_REGISTRY_WORKFLOW,
  CONTRACT_VERSION_QUERY,
  REGISTER_CONTRACT_UPDATE,
  contractRegistryWorkflowId,
  type RegisterContractInput,
  type RegisteredVersion,
} from '../../api/contract-registry';
import { routingTaskQueue } from '../../api/ids';
import { contractHash } from './contract-hash';

export interface ContractVersions {
  /** The version this process runs, registered before it is returned (so any replica can resolve it). */
  current(): Promise<{ hash: string; contract: Contract }>;
  /** A version by hash; fails (retryably) when the registry does not have it. */
  byHash(hash: string): Promise<Contract>;
}

export interface ContractRegistryTarget {
  client: Client;
  /** The orchestration queue: the registry's id derives from it, and it runs on its routing queue. */
  orchestrationQueue: string;
}

export function registerContract(target: ContractRegistryTarget, contract: Contract, hash = contractHash(contract)): Promise<RegisteredVersion> {
  const start = new WithStartWorkflowOperation(CONTRACT_REGISTRY_WORKFLOW, {
    workflowId: contractRegistryWorkflowId(target.orchestrationQueue),
    taskQueue: routingTaskQueue(target.orchestrationQueue),
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return target.client.workflow.executeUpdateWithStart<Workflow, RegisteredVersion, [RegisterContractInput]>(REGISTER_CONTRACT_UPDATE, {
    args: [{ hash, contract }],
    // The same version registered twice is one update: the registry's history grows once per version.
    updateId: `register:${hash}`,
    startWorkflowOperation: start,
  });
}

export async function readRegisteredContract(target: ContractRegistryTarget, hash: string): Promise<Contract | null> {
  const handle = target.client.workflow.getHandle(contractRegistryWorkflowId(target.orchestrationQueue));
  return handle.query<Contract | null, [string]>(CONTRACT_VERSION_QUERY, hash);
}

export function createContractVersions(current: () => Contract, target: ContractRegistryTarget): ContractVersions {
  const known = new Map<string, Promise<Contract>>();
  /** The last current contract seen and its hash: hashing costs a canonical JSON of the contract. */
  let last: { contract: Contract; json: string; hash: string } | undefined;
  const registered = new Map<string, Promise<RegisteredVersion>>();

  const hashOfCurrent = (): { contract: Contract; hash: string } => {
    const contract = current();
    // Compared by content, not identity: a process may edit its contract in place (tests do).
    const json = JSON.stringify(contract);
    if (last?.contract !== contract || last.json !== json) last = { contract, json, hash: contractHash(contract) };
    return { contract, hash: last.hash };
  };

  return {
    async current() {
      const { contract, hash } = hashOfCurrent();
      let registration = registered.get(hash);
      if (!registration) {
        registration = registerContract(target, contract, hash);
        registered.set(hash, registration);
        // A failed registration is tried again by the next caller (the activity is retried).
        void registration.catch(() => registered.delete(hash));
      }
      await registration;
      // A snapshot: the current contract may change later (a process that edits it in place), its version never.
      if (!known.has(hash)) known.set(hash, Promise.resolve(structuredClone(contract)));
      return { hash, contract };
    },
    async byHash(hash) {
      // The hot path: a version this process pinned or read before, without hashing anything.
      let found = known.get(hash);
      if (!found) {
        const { contract, hash: currentHash } = hashOfCurrent();
        if (hash === currentHash) return contract;
        found = readRegisteredContract(target, hash).then((c) => {
          if (c) return c;
          throw ApplicationFailure.retryable(
            `contract version ${hash} is not in the registry ${contractRegistryWorkflowId(target.orchestrationQueue)}: register it with \`handoff-bridge lead rebase-contract --contract FILE\` or run a worker with it`,
            'ContractVersionUnknown',
          );
        });
        known.set(hash, found);
        void found.catch(() => known.delete(hash));
      }
      return found;
    },
  };
}
