// The Node the project pins (package.json engines): on an older one the CLI's HTTP client fails at
// load with an error naming neither the version nor the fix.
export const REQUIRED_NODE_MAJOR = 24;

/**
 * What to tell the user when `version` (process.versions.node) is too old to run the CLI; undefined
 * when it is fine.
 * @param {string} version
 * @returns {string | undefined}
 */
export function nodeVersionProblem(version) {
  if (Number(version.split('.')[0]) >= REQUIRED_NODE_MAJOR) return undefined;
  return `handoff-bridge needs Node ${REQUIRED_NODE_MAJOR} (this is Node ${version}): run it as \`npx handoff-bridge …\` or through an npm script, which use the Node ${REQUIRED_NODE_MAJOR} that npm install placed in node_modules/.bin.`;
}
