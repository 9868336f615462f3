/** The floor's activities: they return at once, so only Temporal and the worker are measured. */
export function createFloorActivities() {
  return {
    async policy(): Promise<string> {
      return 'policy';
    },
    async read(): Promise<string> {
      return 'contact';
    },
    async assign(contact: string): Promise<string> {
      return `owner of ${contact}`;
    },
    async write(_owner: string): Promise<void> {},
    async alert(_owner: string): Promise<void> {},
  };
}
export type FloorActivities = ReturnType<typeof createFloorActivities>;
