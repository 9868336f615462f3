/**
 * Whether the activity running this code is a priority lead's (api/priority.ts): its CRM calls
 * then skip the batch linger and go first at the next request slot. Outside an activity (the CLI,
 * reconciliation's reads outside Temporal) nothing is urgent.
 */
import { Context } from '@temporalio/activity';
import { isHotTaskQueue } from '../../api/ids';
import { isHotPriority } from '../../api/priority';

export function urgentNow(): boolean {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return false;
  }
  // The hot lane's local activities carry no task priority of their own: their lane says it.
  return isHotPriority(info.priority) || (info.isLocal && isHotTaskQueue(info.taskQueue));
}
