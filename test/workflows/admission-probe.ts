/** A workflow that waits on one activity: busy until the test lets the activity finish (test/workflow-admission.test.ts). */
import { proxyActivities } from '@temporalio/workflow';

export interface AdmissionProbeActivities {
  hold(): Promise<void>;
}

export async function admissionProbe(): Promise<void> {
  const { hold } = proxyActivities<AdmissionProbeActivities>({ startToCloseTimeout: '1 minute' });
  await hold();
}
