/** Reading a contract file (YAML, with source positions for findings). The one mappings folder that does I/O: workflows never import it. Other folders import from here only. */
export { ContractError, defaultContractPath, isPreset, loadContract, loadContractWithSource, parseContract, parseContractWithSource, type ParsedContract, presetPath, type PresetName, PRESETS } from './load';
