/** Contract versions by content hash: the hash, and the registry every replica resolves a handoff's pinned version from. Other folders import from here only. */
export { contractHash } from './contract-hash';
export { type ContractRegistryTarget, type ContractVersions, createContractVersions, readRegisteredContract, registerContract } from './contract-versions';
