/**
 * The handoffs that need a person, for the reconciliation report: those a CRM refused for good and
 * that wait for `lead retry` (counted by cause: step and CRM code), and those that ended Failed.
 */

export interface BlockedHandoff {
  workflowId: string;
  /** The refused step (BlockedStep): assignLead, updateLead, writeContact, ... */
  step: string;
  /** What the CRM answered (BlockedCode): INACTIVE_OWNER_OR_USER, ... */
  code: string;
}

export interface HandoffHealth {
  open: number;
  stuck: number;
  blocked: { total: number; byCause: Array<{ step: string; code: string; count: number }> };
  failed: { total: number; workflowIds: string[] };
}

/** Blocked handoffs grouped by cause, the most frequent first (then by step and code, for a stable order). */
export function handoffHealth(input: { open: number; stuck: number; blocked: BlockedHandoff[]; failed: string[] }): HandoffHealth {
  const causes = new Map<string, { step: string; code: string; count: number }>();
  for (const { step, code } of input.blocked) {
    const key = `${step}\u0000${code}`;
    const cause = causes.get(key) ?? { step, code, count: 0 };
    cause.count += 1;
    causes.set(key, cause);
  }
  const byCause = [...causes.values()].sort((a, b) => b.count - a.count || a.step.localeCompare(b.step) || a.code.localeCompare(b.code));
  return {
    open: input.open,
    stuck: input.stuck,
    blocked: { total: input.blocked.length, byCause },
    failed: { total: input.failed.length, workflowIds: [...input.failed].sort() },
  };
}
