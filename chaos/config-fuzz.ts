/**
 * Malformed contract files and environments, generated from the real ones: every result must be a
 * parsed value or the module's own error (ContractError, ConfigError) with located, readable problems,
 * and a ConfigError must never repeat a secret's value.
 */
import { readFileSync } from 'node:fs';
import { ContractError, parseContract, presetPath } from '../mappings/load';
import { CONFIG_VARIABLES, ConfigError, loadConfig, SECRET_VARIABLES } from '../worker/config';
import { seededRandom } from '../sandbox/random';

export interface FuzzVerdict {
  cases: number;
  accepted: number;
  /** Rejected with the module's own error, every problem readable. */
  rejectedClearly: number;
  /** Any other exception, or an error whose problems are not located and named. */
  crashes: string[];
  unclear: string[];
  /** ConfigErrors that repeated a secret's value. */
  leakedSecrets: string[];
}

function verdict(): FuzzVerdict {
  return { cases: 0, accepted: 0, rejectedClearly: 0, crashes: [], unclear: [], leakedSecrets: [] };
}

const JUNK = ['', '~', 'null', '[]', '{}', '-1', '"x"', '1e999', '!!binary AAAA', '&anchor', '*nowhere', ': :', '\t', '💥', '{{', 'yes', '2026-13-45'];

export function fuzzContracts(count: number, seed = 3): FuzzVerdict {
  const lines = readFileSync(presetPath('default'), 'utf8').split('\n');
  const random = seededRandom(seed);
  const result = verdict();
  for (let i = 0; i < count; i++) {
    const mutated = [...lines];
    const at = Math.floor(random.next() * mutated.length);
    const line = mutated[at] ?? '';
    switch (i % 5) {
      case 0:
        mutated.splice(at, 1 + Math.floor(random.next() * 5));
        break;
      case 1:
        mutated[at] = line.includes(':') ? `${line.slice(0, line.indexOf(':') + 1)} ${random.pick(JUNK)}` : random.pick(JUNK);
        break;
      case 2:
        mutated[at] = ` ${line}`;
        break;
      case 3:
        mutated.splice(at, 0, `${random.pick(['surprise', 'version', 'routing'])}: ${random.pick(JUNK)}`);
        break;
      default:
        mutated.length = at;
    }
    result.cases += 1;
    try {
      parseContract(mutated.join('\n'), 'fuzz.yaml');
      result.accepted += 1;
    } catch (err) {
      if (!(err instanceof ContractError)) result.crashes.push(`case ${i}: ${String(err)}`);
      else if (err.problems.length === 0 || !err.problems.every((p) => /^fuzz\.yaml:\d+ \S.*: \S/.test(p))) result.unclear.push(`case ${i}: ${err.problems.join(' | ').slice(0, 200)}`);
      else result.rejectedClearly += 1;
    }
  }
  return result;
}

const ENV_JUNK = ['', ' ', 'x', '0', '-5', '99999', 'not a url', 'ftp://x', 'http://', '::', 'a:b:c', 'abc:AAAA', 'k1:' + Buffer.alloc(32).toString('base64') + ',k1:' + Buffer.alloc(32).toString('base64'), 'secret-value-that-must-not-leak-0001'];
const VARIABLES = ['TEMPORAL_ADDRESS', 'HANDOFF_MODE', 'INGRESS_PORT', 'INGRESS_PUBLIC_URL', 'LINK_SIGNING_SECRET', 'HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_PORTAL_ID', 'HUBSPOT_CLIENT_SECRET', 'SALESFORCE_INSTANCE_URL', 'SALESFORCE_CLIENT_SECRET', 'HUBSPOT_CALLS_PER_10_SECONDS', 'SMTP_URL', 'CODEC_KEYS', 'CODEC_AUTH_TOKEN', 'METRICS_PORT', 'LOG_LEVEL'];
const KNOWN = new Set<string>(CONFIG_VARIABLES);

export function fuzzEnvironments(count: number, seed = 5): FuzzVerdict {
  const random = seededRandom(seed);
  const secrets = new Set<string>(SECRET_VARIABLES);
  const result = verdict();
  for (let i = 0; i < count; i++) {
    const env: Record<string, string> = i % 3 === 0 ? { LINK_SIGNING_SECRET: 'x'.repeat(40) } : {};
    const picked = 1 + Math.floor(random.next() * 5);
    for (let n = 0; n < picked; n++) env[random.pick(VARIABLES)] = `${random.pick(ENV_JUNK)}${i % 4 === 0 ? `-${i}-secret-value` : ''}`;
    result.cases += 1;
    try {
      loadConfig(env);
      result.accepted += 1;
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        result.crashes.push(`case ${i}: ${String(err)}`);
        continue;
      }
      const named = err.problems.length > 0 && err.problems.every((p) => KNOWN.has(p.split(':')[0] ?? '') && p.split(':').slice(1).join(':').trim().length > 0);
      if (!named) result.unclear.push(`case ${i}: ${err.problems.join(' | ').slice(0, 200)}`);
      else result.rejectedClearly += 1;
      for (const [name, value] of Object.entries(env)) {
        if (secrets.has(name) && value.length >= 8 && err.message.includes(value)) result.leakedSecrets.push(`case ${i}: ${name}`);
      }
    }
  }
  return result;
}
