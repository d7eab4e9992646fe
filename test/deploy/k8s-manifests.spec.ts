import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '../../src/config/config.schema';
import { MIGRATE_COMMAND, migrateJobName, renderManifests, workerCommand } from '../../scripts/k8s/manifests';
import { toYaml, valuesFrom } from '../../scripts/k8s/output';
import { K8sObject } from '../../scripts/k8s/pod';
import { envOf, execForm, finalStage, last, readDockerfile } from '../support/dockerfile';

/**
 * The rendered manifests (ADR 0029), with no cluster: every object is validated against the Kubernetes
 * API schema compiled into the pinned `kubernetes-models` package (the ServiceMonitor against the
 * prometheus-operator CRD schema of `@kubernetes-models/prometheus-operator`), and the invariants that
 * matter in production are asserted on what is committed in deploy/k8s.
 */
type Validating = new (data: unknown) => { validate(): void };

/** The model class of an object's apiVersion/kind, from the packages' per-group entry points. */
async function modelOf(o: { apiVersion: string; kind: string }): Promise<Validating> {
  const entry = o.apiVersion.endsWith('monitoring.coreos.com/v1') ? `@kubernetes-models/prometheus-operator/${o.apiVersion}` : `kubernetes-models/${o.apiVersion}`;
  const mod = (await import(entry)) as Record<string, Validating | undefined>;
  const model = mod[o.kind];
  if (!model) throw new Error(`no schema for ${o.apiVersion} ${o.kind} in ${entry}`);
  return model;
}

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const rendered = renderManifests(valuesFrom(undefined, version));
const committed: Record<string, K8sObject[]> = Object.fromEntries(
  Object.keys(rendered).map((file) => {
    const docs = parseAllDocuments(readFileSync(join('deploy', 'k8s', file), 'utf8'));
    return [file, docs.map((d) => d.toJS() as K8sObject)];
  }),
);
const all = Object.values(committed).flat();
const byKind = (kind: string): K8sObject[] => all.filter((o) => o.kind === kind);
const one = (kind: string, name: string): K8sObject => all.find((o) => o.kind === kind && o.metadata.name === name)!;

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
}
interface Workload {
  spec: { selector?: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
const podOf = (o: K8sObject): PodSpec => (o as unknown as Workload).spec.template.spec;
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('are the current render of scripts/k8s (run `npm run k8s:render` after changing it)', () => {
    for (const [file, objects] of Object.entries(rendered)) expect([file, readFileSync(join('deploy', 'k8s', file), 'utf8')]).toEqual([file, toYaml(objects)]);
  });

  it('validate against the Kubernetes API schema, and the ServiceMonitor against its CRD schema', async () => {
    const failures: string[] = [];
    for (const o of all) {
      const Model = await modelOf(o);
      try {
        new Model(o).validate();
      } catch (err) {
        failures.push(`${o.kind}/${o.metadata.name}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(new Set(all.map((o) => o.kind))).toEqual(
      new Set(['Namespace', 'ServiceAccount', 'ConfigMap', 'Job', 'Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'ServiceMonitor']),
    );
  });

  it('the validator rejects what the API server would (it is not a no-op)', async () => {
    const deployment = structuredClone(one('Deployment', 'tessera')) as unknown as Workload;
    (deployment.spec.template.spec.containers[0].livenessProbe as Record<string, unknown>).periodSeconds = 'often';
    const Deployment = await modelOf({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(() => new Deployment(deployment).validate()).toThrow(/periodSeconds must be integer/);
    const monitor = structuredClone(one('ServiceMonitor', 'tessera')) as unknown as { spec: { endpoints: { interval: string }[] } };
    monitor.spec.endpoints[0].interval = 'every minute';
    const ServiceMonitor = await modelOf({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' });
    expect(() => new ServiceMonitor(monitor).validate()).toThrow(/interval must match pattern/);
  });

  it('probe liveness on /health and readiness on /ready for every long-running container', () => {
    for (const d of byKind('Deployment'))
      for (const c of podOf(d).containers) {
        expect([d.metadata.name, c.livenessProbe?.httpGet]).toEqual([d.metadata.name, { path: '/health', port: 'http' }]);
        expect([d.metadata.name, c.readinessProbe?.httpGet]).toEqual([d.metadata.name, { path: '/ready', port: 'http' }]);
      }
  });

  it('run every container as the image user, non-root, read-only root filesystem, no privilege escalation, no capabilities, with limits', () => {
    const uid = Number(last(finalStage(readDockerfile()), 'USER')!.args.split(':')[0]);
    for (const w of [...byKind('Deployment'), ...byKind('Job')]) {
      const pod = podOf(w);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      // A Service named `tessera` would otherwise inject TESSERA_SERVICE_HOST, TESSERA_PORT_80_TCP… into our TESSERA_ namespace.
      expect(pod.enableServiceLinks).toBe(false);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        expect([where, c.securityContext]).toEqual([where, expect.objectContaining({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })]);
        for (const r of ['cpu', 'memory']) {
          expect([where, r, typeof c.resources?.limits?.[r]]).toEqual([where, r, 'string']);
          expect([where, r, typeof c.resources?.requests?.[r]]).toEqual([where, r, 'string']);
        }
        expect(c.image).toMatch(new RegExp(`:${version.replace(/\./g, '\\.')}$`));
      }
    }
  });

  it('keep secrets out of plain config: secret variables come from the Secret, the ConfigMap holds only known non-secret settings', () => {
    const schemaVars = new Set(Object.keys(configSchema.shape));
    const secretish = /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/;
    const [config] = byKind('ConfigMap') as unknown as { data: Record<string, string> }[];
    for (const [name, value] of Object.entries(config.data)) {
      expect([name, schemaVars.has(name)]).toEqual([name, true]);
      expect([name, secretish.test(name)]).toEqual([name, false]);
      expect([name, value]).not.toEqual([name, expect.stringMatching(/:\/\/[^/@\s]+:[^/@\s]+@/)]); // no credentials in a URL
    }
    expect(byKind('Secret')).toEqual([]); // the operator creates it (docs/deploy.md)
    for (const w of [...byKind('Deployment'), ...byKind('Job')])
      for (const c of [...podOf(w).containers, ...(podOf(w).initContainers ?? [])]) {
        expect(c.envFrom).toEqual([{ configMapRef: { name: 'tessera-config' } }]);
        for (const e of c.env ?? []) {
          expect([e.name, e.value]).toEqual([e.name, undefined]);
          expect([e.name, e.valueFrom?.secretKeyRef?.name]).toEqual([e.name, 'tessera-secrets']);
        }
        const fromSecret = new Set((c.env ?? []).map((e) => e.name));
        for (const name of ['DATABASE_URL', 'REDIS_URL', 'TESSERA_ADMIN_KEY', 'TESSERA_PII_HMAC_SECRET', 'TESSERA_ALERT_WEBHOOK_SECRET']) expect([name, fromSecret.has(name)]).toEqual([name, true]);
      }
  });

  it('migrate before the rollout: a Job per version, and the same command as an init container of every Deployment', () => {
    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose).toContain(`command: ['${MIGRATE_COMMAND.join("', '")}']`);
    const job = one('Job', migrateJobName(valuesFrom(undefined, version)));
    expect(job.metadata.name).toBe(`tessera-migrate-${version.replace(/\./g, '-')}`);
    expect(podOf(job).containers.map((c) => c.command)).toEqual([MIGRATE_COMMAND]);
    expect(Object.keys(committed).indexOf('10-migrate-job.yaml')).toBeLessThan(Object.keys(committed).indexOf('20-api.yaml'));
    for (const d of byKind('Deployment')) expect([d.metadata.name, podOf(d).initContainers?.map((c) => c.command)]).toEqual([d.metadata.name, [MIGRATE_COMMAND]]);
  });

  it('run the API with the image CMD, the workers as their own Deployment with `tessera worker --models`', () => {
    const cmd = execForm(last(finalStage(readDockerfile()), 'CMD')!.args);
    expect(cmd).toEqual(['node', 'dist/src/main.js']);
    expect(podOf(one('Deployment', 'tessera')).containers[0].command).toBeUndefined();
    const worker = podOf(one('Deployment', 'tessera-worker')).containers[0];
    expect(worker.command).toEqual(workerCommand(['customer_value']));
    expect(worker.command!.slice(0, 4)).toEqual(['node', 'dist/src/cli/tessera.js', 'worker', '--models']);
  });

  it('drain within the grace period: preStop, then SIGTERM and TESSERA_SHUTDOWN_TIMEOUT_MS, before SIGKILL', () => {
    const [config] = byKind('ConfigMap') as unknown as { data: Record<string, string> }[];
    const shutdownMs = Number(config.data.TESSERA_SHUTDOWN_TIMEOUT_MS ?? envOf(finalStage(readDockerfile())).get('TESSERA_SHUTDOWN_TIMEOUT_MS') ?? 25_000);
    for (const d of byKind('Deployment')) {
      const pod = podOf(d);
      const preStop = pod.containers[0].lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(preStop * 1000 + shutdownMs);
    }
  });

  it('tie selectors together: Service, PDBs, HPA, NetworkPolicy and ServiceMonitor select what they mean to', () => {
    const api = one('Deployment', 'tessera') as unknown as Workload & K8sObject;
    const apiLabels = api.spec.template.metadata.labels;
    expect(matches(api.spec.selector!.matchLabels, apiLabels)).toBe(true);
    const service = one('Service', 'tessera') as unknown as { metadata: { labels: Record<string, string> }; spec: { selector: Record<string, string>; ports: { name: string }[] } };
    expect(matches(service.spec.selector, apiLabels)).toBe(true);
    const worker = one('Deployment', 'tessera-worker') as unknown as Workload;
    expect(matches(service.spec.selector, worker.spec.template.metadata.labels)).toBe(false); // workers serve no API traffic
    for (const pdb of byKind('PodDisruptionBudget') as unknown as { metadata: { name: string }; spec: { selector: { matchLabels: Record<string, string> } } }[]) {
      const target = one('Deployment', pdb.metadata.name) as unknown as Workload;
      expect(matches(pdb.spec.selector.matchLabels, target.spec.template.metadata.labels)).toBe(true);
    }
    const hpa = one('HorizontalPodAutoscaler', 'tessera') as unknown as { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } };
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'tessera' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2); // with the PDB's maxUnavailable 1, a drain never takes the last replica
    const policy = one('NetworkPolicy', 'tessera') as unknown as { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { ports: { port: number }[] }[] } };
    for (const w of [...byKind('Deployment'), ...byKind('Job')]) expect(matches(policy.spec.podSelector.matchLabels, (w as unknown as Workload).spec.template.metadata.labels)).toBe(true);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress.flatMap((r) => r.ports.map((p) => p.port))).toEqual([3000]);
    const monitor = one('ServiceMonitor', 'tessera') as unknown as { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } };
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints.map((e) => [e.port, e.path])).toEqual([['http', '/metrics']]);
    expect(service.spec.ports.map((p) => p.name)).toContain('http');
  });
});
