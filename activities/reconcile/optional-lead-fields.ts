/**
 * A Salesforce read that asks for some fields only if the org has them: an org without them (setup not
 * run for them) answers INVALID_FIELD, and the read is made again without, so the caller can say
 * SIGNAL MISSING for what they measure instead of failing the whole read.
 */
export async function readWithOptionalFields<T>(optional: readonly string[], read: (extra: string[]) => Promise<T>): Promise<{ result: T; optionalRead: boolean }> {
  if (!optional.length) return { result: await read([]), optionalRead: false };
  try {
    return { result: await read([...optional]), optionalRead: true };
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('INVALID_FIELD')) throw err;
    return { result: await read([]), optionalRead: false };
  }
}
