/**
 * Task priority and fairness (api/priority.ts: hot leads first, one fairness key per portal) are
 * honoured only by the server's new matcher, which Server 1.32 leaves off by default; fairness needs
 * its own flag. Every server the bridge runs on gets both: the dev server (`--dynamic-config-value`),
 * `npm run cluster` (its dynamic config file) and docker-compose (deploy/temporal/dynamicconfig.yaml,
 * checked against this list by test/deploy-compose.test.ts). Without them a hot lead waits behind a
 * whole burst.
 */
export const PRIORITY_MATCHING_FLAGS = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
} as const satisfies Record<string, boolean>;
