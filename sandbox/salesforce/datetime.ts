/** Salesforce's JSON datetime form: ISO-8601 with milliseconds and a "+0000" offset. */
export function toSalesforceDateTime(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '+0000');
}

/** Parses any ISO-8601 instant, including Salesforce's "+0000" offset form. */
export function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = Date.parse(normalized);
  return Number.isFinite(millis) ? millis : undefined;
}

export function isDateOnly(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && Number.isFinite(Date.parse(text));
}
