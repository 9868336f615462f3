/**
 * Salesforce record ids: a 3-character key prefix, a 12-character body and the 3-character
 * case-safe suffix that turns a 15-character id into its 18-character form.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** Sequential ids sort in creation order, which keeps `ORDER BY Id` meaningful. */
export function recordId(prefix: string, sequence: number): string {
  const id15 = `${prefix}8d${String(sequence).padStart(10, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

/** Salesforce accepts 15- or 18-character ids; both name the same record. */
export function sameRecordId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
