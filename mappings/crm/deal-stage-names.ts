/**
 * Lifecycle stages track buyer progress and ownership; deal stages track the pipeline. A lifecycle
 * stage named like a deal stage ("Demo Booked", "Proposal Sent") breaks funnel reporting, so the
 * check flags it. These patterns cover HubSpot's and Salesforce's default deal/opportunity stages
 * and the usual custom ones.
 */
const DEAL_STAGE_PATTERNS: readonly RegExp[] = [
  /\bdemo\b/,
  /\bproposal\b/,
  /\bquote\b/,
  /\bnegotiat/,
  /\bcontract (sent|signed)\b/,
  /\bclosed (won|lost)\b/,
  /\bappointment\b/,
  /\bpresentation\b/,
  /\bdecision maker\b/,
  /\bmeeting (booked|scheduled|held)\b/,
  /\bdiscovery call\b/,
  /\bvalue proposition\b/,
  /\bperception analysis\b/,
  /\bid\.? decision makers\b/,
  /\bpurchase order\b/,
];

/** The pattern a stage label matches, or undefined when it reads like a lifecycle stage. */
export function dealStageLike(label: string): string | undefined {
  const normal = label.toLowerCase().replace(/[_-]+/g, ' ');
  return DEAL_STAGE_PATTERNS.find((p) => p.test(normal))?.source;
}
