/** The contract's checks (`sla check`): definitions, commitments, calendar, CRM mappings, and the live comparison with a CRM's metadata. Other folders import from here only. */
export { checkContractAgainstCrm, resolveRepIds } from './check-live';
export { checkContract, type Finding, hasErrors } from './check';
export { type CrmMetadata, metadataWanted } from './crm-metadata';
