/**
 * Salesforce Task.Type → the contract's contact-attempt channel names. One definition, so the
 * workflow's contact-attempt check and the reconciliation report count the same attempts.
 */
const TASK_CHANNEL = new Map<string, string>([
  ['Call', 'call'],
  ['Email', 'email'],
  ['Meeting', 'meeting'],
  ['LinkedIn', 'linkedin'],
]);

/** The channel of a Task of this Type; any other or missing Type is 'other'. */
export function taskChannel(type: unknown): string {
  return TASK_CHANNEL.get(typeof type === 'string' ? type : '') ?? 'other';
}
