/**
 * Reads a contract file: the only file in mappings/ that touches the file system. Without a path it
 * takes HANDOFF_CONTRACT from the environment, else the default preset.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ContractError } from './contract-error';
import { parseContractWithSource, type ParsedContract } from './parse';
import type { Contract } from '../contract';

export { ContractError } from './contract-error';
export { parseContract, parseContractWithSource, type ParsedContract } from './parse';

/** The shipped presets, one per variant of the playbook. */
export const PRESETS = ['default', 'small-team', 'product-led', 'account-based'] as const;
export type PresetName = (typeof PRESETS)[number];

export function isPreset(name: string): name is PresetName {
  return (PRESETS as readonly string[]).includes(name);
}

export function presetPath(name: PresetName): string {
  return fileURLToPath(new URL(`../contracts/${name}.yaml`, import.meta.url));
}

/** The path loadContract uses when given none. */
export function defaultContractPath(): string {
  return process.env.HANDOFF_CONTRACT || presetPath('default');
}

export function loadContractWithSource(path: string = defaultContractPath()): ParsedContract {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'file not found' : String(err);
    throw new ContractError(path, [`${path}:1 (file): ${reason}`]);
  }
  return parseContractWithSource(text, path);
}

export function loadContract(path?: string): Contract {
  return loadContractWithSource(path).contract;
}
