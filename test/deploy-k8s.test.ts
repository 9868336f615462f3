/**
 * The Kubernetes manifests, checked statically: probes, draining, non-root, and configuration that
 * matches the config schema with secrets kept out of the ConfigMap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_VARIABLES, SECRET_VARIABLES, loadConfig } from '../worker/config';
import { DEFAULT_DEPLOYMENT_NAME } from '../worker/deployment-version';

const dir = new URL('../deploy/k8s/', import.meta.url);
const load = (file: string): unknown[] => parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((doc) => doc.toJS() as unknown);

const probe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const container = z.object({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()),
  env: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }).optional(), secretRef: z.object({ name: z.string() }).optional() })),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })),
  livenessProbe: probe,
  readinessProbe: probe,
  securityContext: z.object({ allowPrivilegeEscalation: z.literal(false) }),
});
const deployment = z.object({
  kind: z.literal('Deployment'),
  metadata: z.object({ name: z.string() }),
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({ labels: z.record(z.string(), z.string()) }),
      spec: z.object({
        terminationGracePeriodSeconds: z.number(),
        securityContext: z.object({ runAsNonRoot: z.literal(true), runAsUser: z.number().positive() }),
        containers: z.array(container).length(1),
      }),
    }),
  }),
});
const configMap = z.object({ kind: z.literal('ConfigMap'), metadata: z.object({ name: z.string() }), data: z.record(z.string(), z.string()) });
const service = z.object({ kind: z.literal('Service'), spec: z.object({ selector: z.record(z.string(), z.string()), ports: z.array(z.object({ targetPort: z.string() })) }) });

const kustomization = z.object({ resources: z.array(z.string()) }).parse(load('kustomization.yaml')[0]);
const worker = deployment.parse(load('worker-deployment.yaml')[0]);
const ingress = deployment.parse(load('ingress-deployment.yaml')[0]);
const config = configMap.parse(load('configmap.yaml')[0]);

describe('Kubernetes manifests', () => {
  it('lists only files that exist in the kustomization', () => {
    for (const resource of kustomization.resources) expect(existsSync(new URL(resource, dir)), resource).toBe(true);
  });

  it.each([
    ['worker', worker],
    ['ingress', ingress],
  ] as const)('runs the %s with liveness on /healthz and readiness on /readyz', (mode, d) => {
    const [c] = d.spec.template.spec.containers;
    expect(c?.command).toEqual(['npx', 'handoff-bridge', mode]);
    expect(c?.env).toContainEqual({ name: 'HANDOFF_MODE', value: mode });
    expect(c?.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c?.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c?.ports.map((p) => p.name)).toContain(c?.livenessProbe.httpGet.port);
    expect(d.spec.selector.matchLabels).toEqual(expect.objectContaining(d.spec.template.metadata.labels));
  });

  it.each([
    ['worker', worker],
    ['ingress', ingress],
  ] as const)('gives the %s its configuration from the ConfigMap and the Secret', (_mode, d) => {
    const [c] = d.spec.template.spec.containers;
    expect(c?.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }, { secretRef: { name: 'handoff-bridge-secrets' } }]);
  });

  it('gives the worker time to drain in-flight tasks after SIGTERM', () => {
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
    expect(ingress.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
  });

  it('configures only variables the schema knows, and no secrets in the ConfigMap', () => {
    for (const key of Object.keys(config.data)) {
      expect(CONFIG_VARIABLES as readonly string[], key).toContain(key);
      expect(SECRET_VARIABLES as readonly string[], key).not.toContain(key);
    }
  });

  it('puts the worker pods, and only them, in the worker deployment docker-compose.yml names', () => {
    const env = (d: typeof worker) => Object.fromEntries((d.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
    const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    // Compose's default for the variable, written independently of the constant the code exports.
    const composeDefault = /WORKER_DEPLOYMENT_NAME: \$\{WORKER_DEPLOYMENT_NAME:-([^}]+)\}/.exec(compose)?.[1];
    expect(env(worker).WORKER_DEPLOYMENT_NAME).toBe('handoff-bridge');
    expect([composeDefault, DEFAULT_DEPLOYMENT_NAME]).toEqual(['handoff-bridge', 'handoff-bridge']);
    // The worker's configuration accepts it as the deployment name.
    expect(loadConfig({ LINK_SIGNING_SECRET: 'x'.repeat(32), WORKER_DEPLOYMENT_NAME: env(worker).WORKER_DEPLOYMENT_NAME }).workerDeploymentName).toBe('handoff-bridge');
    // The ingress runs no worker: it joins no deployment (and a ConfigMap entry would make it join one).
    expect(env(ingress).WORKER_DEPLOYMENT_NAME).toBeUndefined();
    expect(Object.keys(config.data)).not.toContain('WORKER_DEPLOYMENT_NAME');
    // The build id is the hash of the bundle the image builds, so every replica of an image is one version.
    expect(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')).toMatch(/^RUN npm run build:bundle$/m);
  });

  it('gives every replica the whole CRM budgets, as docker-compose does (replicas share them through the cluster)', () => {
    const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    const composeDefault = (name: string) => new RegExp(`${name}: \\$\\{${name}:-(\\d+)\\}`).exec(compose)?.[1];
    expect([config.data.HUBSPOT_CALLS_PER_10_SECONDS, config.data.SALESFORCE_CALLS_PER_SECOND]).toEqual(['150', '20']);
    expect([composeDefault('HUBSPOT_CALLS_PER_10_SECONDS'), composeDefault('SALESFORCE_CALLS_PER_SECOND')]).toEqual(['150', '20']);
  });

  it('routes the Service to the ingress pods', () => {
    const svc = service.parse(load('service.yaml')[0]);
    expect(ingress.spec.template.metadata.labels).toEqual(expect.objectContaining(svc.spec.selector));
    expect(worker.spec.template.metadata.labels).not.toEqual(expect.objectContaining(svc.spec.selector));
    expect(ingress.spec.template.spec.containers[0]?.ports.map((p) => p.name)).toContain(svc.spec.ports[0]?.targetPort);
  });
});
