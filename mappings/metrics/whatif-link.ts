/** Where the report's quarterly comparison sends a reader who wants to try a recalibration before signing it. */
export const WHAT_IF_HINT = {
  command: 'npx handoff-bridge sla whatif --contract <proposed contract> --since 90d',
  sentence: "replays this quarter's recorded episodes under the proposed contract (MQL definition, windows, calendar, routing) and shows them next to what happened",
  docs: 'docs/reconciliation.md#what-if',
} as const;
