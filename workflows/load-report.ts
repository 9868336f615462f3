/**
 * Tells the worker when a workflow begins and ends waiting on activities (its own or local ones), so
 * that the worker admits new workflows only while the ones in mid-step fit its cache
 * (worker/workflow-admission.ts). Bundled into every workflow as an interceptor module
 * (worker/workflow-bundle-options.ts). It adds no command and reads nothing back: histories, and so
 * replays, are the same with or without it.
 *
 * A workflow reports at the end of an activation, and only when its state changed: busy when it ends
 * an activation with an activity pending, idle when it ends one with none (parked on a timer, a
 * signal, a decision) or closes. Reports are sinks, which the worker does not deliver on replay: the
 * worker already heard them when the workflow first ran.
 */
import { proxySinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The sink each workflow worker registers (worker/workflow-admission.ts). */
export type WorkflowLoadSinks = {
  workflowLoad: {
    busy(): void;
    idle(): void;
  };
};

export const interceptors: WorkflowInterceptorsFactory = () => {
  const { workflowLoad } = proxySinks<WorkflowLoadSinks>();
  // Counted from what the workflow tells Core and hears back, not by watching each activity's promise:
  // every promise a workflow creates costs a captured stack trace (the SDK's stack-trace query).
  let pending = 0;
  let reported = false;
  return {
    internals: [
      {
        activate(input, next) {
          for (const job of input.activation.jobs ?? []) if (job.resolveActivity) pending--;
          return next(input);
        },
        concludeActivation(input, next) {
          let closing = false;
          for (const c of input.commands) {
            if (c.scheduleActivity || c.scheduleLocalActivity) pending++;
            else if (c.completeWorkflowExecution || c.failWorkflowExecution || c.continueAsNewWorkflowExecution || c.cancelWorkflowExecution) closing = true;
          }
          const busy = pending > 0 && !closing;
          if (busy !== reported) {
            reported = busy;
            if (busy) workflowLoad.busy();
            else workflowLoad.idle();
          }
          return next(input);
        },
      },
    ],
  };
};
