/**
 * A handoff's contract version: pinned at its first step (the version the worker runs, or the one its
 * input names) and kept to its end, activities included (they get the hash and resolve the version
 * from the registry). Only an operator moves it (`lead rebase-contract`, the `rebaseContract` update):
 * the new version applies from the handoff's next step on; a window already running keeps its deadline.
 * The history holds the hash and the part of the contract the workflow reads (mappings/handoff-contract.ts).
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BridgeActivities } from '../../activities/handoff';
import type { HandoffState, RebaseContractInput } from '../../api/handoff';
import type { PinnedContract } from '../../mappings/contract';
import { policy } from '../activity-profiles';
import { workflowNow } from '../clock';
import { rebaseContractUpdate } from './messages';

const HASH = /^c-[0-9a-f]{16}$/;

/**
 * Pins the version and installs the rebase update; `onRebase` gets each new version as it is adopted
 * (so the caller rebuilds what it derives from the contract). The state names the version throughout.
 */
export async function pinContractVersion(
  state: HandoffState,
  requested: string | undefined,
  onRebase: (next: PinnedContract) => void,
): Promise<PinnedContract> {
  const { loadPolicy } = proxyLocalActivities<BridgeActivities>(policy);
  let pinned: PinnedContract | undefined;
  setHandler(
    rebaseContractUpdate,
    async ({ hash, actor }: RebaseContractInput) => {
      await condition(() => pinned !== undefined);
      const from = pinned?.hash ?? '';
      if (hash !== from) {
        const next = await loadPolicy({ hash });
        pinned = next;
        state.contractHash = next.hash;
        onRebase(next);
        state.timeline.push({ at: workflowNow().toISOString(), stage: state.stage, event: 'note', detail: `contract version ${from} → ${hash} (by ${actor})` });
      }
      return { from, to: hash, stage: state.stage };
    },
    {
      validator: ({ hash }: RebaseContractInput) => {
        if (!HASH.test(hash)) throw new Error(`contract hash must be "c-" and 16 hex digits, got ${JSON.stringify(hash)}`);
        if (state.outcome) throw new Error(`lead ${state.contactId} is over (${state.outcome}): nothing to move`);
      },
    },
  );
  // A rebase asked meanwhile waits for this, then moves the handoff on from it.
  const first = await loadPolicy(requested !== undefined ? { hash: requested } : {});
  pinned = first;
  state.contractHash = first.hash;
  return first;
}
