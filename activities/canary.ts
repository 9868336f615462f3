import { Context } from '@temporalio/activity';

export interface CanaryActivities {
  describeWorker(input: Record<string, never>): Promise<{ pid: number; taskQueue: string }>;
}

export function createCanaryActivities(): CanaryActivities {
  return {
    async describeWorker() {
      return { pid: process.pid, taskQueue: Context.current().info.taskQueue };
    },
  };
}
