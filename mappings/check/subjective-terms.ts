/**
 * Words that give a criterion away as judgement rather than observation ("gut feel", "seems ready",
 * "hot lead"). A predicate over a property or value named like this is not observable even when the
 * property exists: it only records someone's opinion.
 */
const SUBJECTIVE = /\b(gut|feel|feels|feeling|seems?|vibes?|hot|warm|interested|promising|good fit|high quality|ready|likely)\b/;

/** The subjective word in a property name or value, or undefined. */
export function subjectiveTerm(text: string): string | undefined {
  return SUBJECTIVE.exec(text.toLowerCase().replace(/[_-]+/g, ' '))?.[1];
}
