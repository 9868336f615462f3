/**
 * The handoff's counters, added from workflow code through the SDK's replay-aware meter: a replayed
 * task adds nothing, so each is counted once however often a handoff is evicted and replayed. The
 * Runtime's Prometheus exporter publishes them on the bridge's /metrics as named (no `temporal_`
 * prefix) with a `_total` suffix, labelled namespace, taskQueue and workflowType (docs/operations.md,
 * "Metrics", lists the exported names; test/ops-metrics.test.ts checks them against a real Runtime).
 */
import { metricMeter } from '@temporalio/workflow';

export function handoffCounters() {
  return {
    /** A lead's handoff begins (a run continued as new is the same handoff, not counted again). */
    started: metricMeter.createCounter('handoffs_started', 'handoffs', 'Lead handoffs started'),
    /** Labelled `stage` (entered) and `event` (what moved it); a revert is stage ReturnedToMarketing. */
    transitions: metricMeter.createCounter('handoff_stage_transitions', 'transitions', 'Lead handoffs entering each stage'),
    breaches: metricMeter.createCounter('handoff_sla_breaches', 'breaches', 'Acceptance windows missed'),
  };
}

export type HandoffCounters = ReturnType<typeof handoffCounters>;
