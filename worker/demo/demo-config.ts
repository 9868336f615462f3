/**
 * The bridge configuration of a demo run: the environment as given, with what a local demo may make
 * up filled in (a link-signing secret, a payload codec key, the ingress URL on loopback, a task queue
 * of its own so cleaning up earlier demo runs can never touch anything else). Every problem, in the
 * demo's knobs or the bridge's variables, is reported in one error.
 */
import { ConfigError, loadConfig, type BridgeConfig } from '../config';
import { demoCodecKeys, generatedLinkSecret } from './demo-secrets';
import { loadDemoSettings, type DemoSettings } from './settings';

export const DEMO_TASK_QUEUE = 'handoff-demo';

type Env = Record<string, string | undefined>;

function set(env: Env, name: string): boolean {
  return Boolean(env[name]?.trim());
}

/** The value, or undefined with the ConfigError's problems added to `problems`. */
function collecting<T>(problems: string[], load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

export function loadDemoConfig(env: Env): { settings: DemoSettings; config: BridgeConfig } {
  const problems: string[] = [];
  const settings = collecting(problems, () => loadDemoSettings(env));
  const filled: Env = { ...env };
  if (!set(env, 'LINK_SIGNING_SECRET')) filled.LINK_SIGNING_SECRET = generatedLinkSecret();
  // Only from a well-formed port: a bad INGRESS_PORT is reported once, as itself.
  const ingressPort = env.INGRESS_PORT?.trim() || '8787';
  if (!set(env, 'INGRESS_PUBLIC_URL') && /^\d+$/.test(ingressPort)) filled.INGRESS_PUBLIC_URL = `http://127.0.0.1:${ingressPort}`;
  if (!set(env, 'HANDOFF_TASK_QUEUE')) filled.HANDOFF_TASK_QUEUE = DEMO_TASK_QUEUE;
  if (!set(env, 'CODEC_KEYS') && settings) filled.CODEC_KEYS = demoCodecKeys(settings.dataDir);
  const config = collecting(problems, () => loadConfig(filled));
  if (!settings || !config || problems.length) throw new ConfigError(problems);
  return { settings, config };
}
