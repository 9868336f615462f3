/**
 * A contract that cannot be read or does not fit the schema. The message lists every problem as
 * `<source>:<line> <path.in.file>: <reason> (got <value>)`, so the author can go straight to it.
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid SLA contract ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
