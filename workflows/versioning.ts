/**
 * How each workflow moves between worker versions on a deploy (Temporal Worker Versioning; see
 * docs/operations.md, "Deploying over running handoffs"). Workers run with AUTO_UPGRADE as the default:
 * the long-lived entity workflows (routing queue, status watcher, MQL sweep) and reconciliations move
 * to the new version on their next task, so their changes keep the `patched()` discipline.
 *
 * A handoff is PINNED: it runs to its end on the worker version (build id = the bundle's hash) it
 * started on, so a changed leadHandoff needs no patch for the handoffs already open, which may run
 * for months; the old version's workers keep serving them until Temporal reports it drained.
 * Kept out of lead-handoff.ts so the deploy policy of every workflow reads in one place.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import { leadHandoff } from './lead-handoff';

setWorkflowOptions({ versioningBehavior: 'PINNED' }, leadHandoff);
