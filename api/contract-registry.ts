/**
 * The contract registry's surface, as plain names and types so that activities and the CLI (which
 * reach it through the Temporal client) need nothing from the workflow runtime.
 */
import type { Contract } from '../mappings/contract';

export const CONTRACT_REGISTRY_WORKFLOW = 'contractRegistry';
/** Stores a version under its hash (idempotent: a known hash is kept as first registered). */
export const REGISTER_CONTRACT_UPDATE = 'registerContract';
/** One version by hash, or null. */
export const CONTRACT_VERSION_QUERY = 'contractVersion';
/** Every stored version's hash and when it was first registered, oldest first. */
export const CONTRACT_VERSIONS_QUERY = 'contractVersions';

export interface RegisterContractInput {
  hash: string;
  contract: Contract;
}

export interface RegisteredVersion {
  hash: string;
  registeredAt: string;
}

export interface ContractRegistryInput {
  /** Carried across continue-as-new: every version registered so far, oldest first. */
  versions?: Array<RegisteredVersion & { contract: Contract }>;
}

/**
 * `contracts:<orchestration queue>`: one registry per deployment (a deployment serves one portal),
 * read by every worker replica of it. It runs on the routing task queue, which every worker process serves.
 */
export function contractRegistryWorkflowId(orchestrationQueue: string): string {
  return `contracts:${orchestrationQueue}`;
}
