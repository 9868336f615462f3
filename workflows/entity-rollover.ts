/**
 * When a long-lived entity workflow (routing queue, contract registry, call budget keeper) ends its run
 * and continues as new. Versioned workers pin every workflow to the version it started on, and a
 * pinned run's continue-as-new stays on that version by default, so an entity that rolls over only
 * on history size would never leave the version of its first start: the old version never drains and
 * the entity never runs new code. So it also rolls over when the server says the deployment's target
 * version is no longer the one it is pinned to, and its next run starts on the target version
 * (upgrade on continue-as-new). Handoffs never do this: they run to their end on their version.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, workflowInfo, type Workflow } from '@temporalio/workflow';

/**
 * The server tells a pinned workflow of a new target version only in a workflow task, so an idle
 * entity on a versioned worker wakes this often to get one (a timer: five history events): it leaves
 * the old version within the hour of the switch even with no traffic, and at its first task after
 * the switch under traffic.
 */
export const VERSION_CHECK_INTERVAL = '1 hour';

/** Whether the deployment's target version changed since this run was pinned (false on unversioned workers). */
export function newVersionIsTarget(): boolean {
  return workflowInfo().targetWorkerDeploymentVersionChanged;
}

/**
 * Whether the current workflow task runs on a worker of a deployment (recorded in history: safe to
 * branch on). An unversioned worker reports its build id alone, with no deployment name.
 */
function onVersionedWorker(): boolean {
  return Boolean(workflowInfo().currentDeploymentVersion?.deploymentName);
}

/**
 * Resolves once `due()` (the entity's own reason to roll over) or a new target version, and then
 * every update and signal handler in flight has finished: the safe point to continue as new.
 */
export async function rollOverPoint(due: () => boolean): Promise<void> {
  const ready = () => due() || newVersionIsTarget();
  for (;;) {
    if (onVersionedWorker()) {
      if (await condition(ready, VERSION_CHECK_INTERVAL)) break;
    } else {
      // Unversioned workers (tests, the dev server, WORKER_DEPLOYMENT_NAME unset) have no version to
      // leave, so no wake-ups: they would cost time-skipping tests one per hour skipped. The run
      // arms them if a versioned worker takes it over (the first versioned deploy).
      await condition(() => ready() || onVersionedWorker());
      if (ready()) break;
    }
  }
  await condition(allHandlersFinished);
}

/**
 * Continue-as-new whose next run starts on the deployment's target version and is then pinned there
 * (the versioned workers' default). On unversioned workers it changes nothing.
 */
export function rollOver<F extends Workflow>(): (...args: Parameters<F>) => Promise<never> {
  return makeContinueAsNewFunc<F>({ initialVersioningBehavior: 'AUTO_UPGRADE' });
}
