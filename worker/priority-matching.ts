/**
 * Task priority and fairness (api/priority.ts: hot leads first, one fairness key per portal) are
 * honoured only by the server's new matcher, which Server 1.32 leaves off by default; fairness needs
 * its own flag. Every server the bridge runs on gets both: the dev server (`--dynamic-config-value`),
 * `npm run cluster` (its dynamic config file) and docker-compose (deploy/temporal/dynamicconfig.yaml,
 * checked against this list by test/deploy-compose.test.ts). Without them a hot lead waits behind a
 * whole burst. Eager workflow start (a priority lead's first workflow task handed straight back to the
 * process whose ingress started it, worker/webhook-route.ts hotLaneClient) is on by default in recent
 * servers and off in older ones: set, so that no server in the list depends on its default.
 */
export const PRIORITY_MATCHING_FLAGS = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  'system.enableEagerWorkflowStart': true,
} as const satisfies Record<string, boolean>;
