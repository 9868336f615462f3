/**
 * Whether the activity running this code is a priority lead's (api/priority.ts): its CRM calls
 * then skip the batch linger and go first at the next request slot. Outside an activity (the CLI,
 * reconciliation's reads outside Temporal) nothing is urgent.
 */
import { Context } from '@temporalio/activity';
import { PRIORITY_KEYS } from '../../api/priority';

export function urgentNow(): boolean {
  let key: number | undefined;
  try {
    key = Context.current().info.priority?.priorityKey;
  } catch {
    return false;
  }
  return key !== undefined && key > 0 && key <= PRIORITY_KEYS.hot;
}
