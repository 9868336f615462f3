/**
 * A namespace whose search attributes clash with the bridge's. In a module of its own: the CLI's error
 * printer (worker/cli/errors.ts) names it, and setup-temporal imports that printer, so defining it
 * there made an import cycle that failed whichever side a program loaded first (the benchmarks).
 */
export interface SearchAttributeConflict {
  name: string;
  wanted: string;
  existing: string;
}

export class SearchAttributeConflictError extends Error {
  constructor(
    readonly namespace: string,
    readonly conflicts: SearchAttributeConflict[],
  ) {
    super(
      [
        `Namespace "${namespace}" already has search attributes of another type than the bridge needs; nothing was changed:`,
        ...conflicts.map((c) => `  - ${c.name}: exists as ${c.existing}, the bridge needs ${c.wanted}`),
        'Rename or remove them (temporal operator search-attribute remove) and run setup-temporal again.',
      ].join('\n'),
    );
    this.name = 'SearchAttributeConflictError';
  }
}
