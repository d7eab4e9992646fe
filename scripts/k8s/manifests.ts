import { CONFIG_MAP, Component, container, HTTP_PORT, K8sObject, labels, podSpec, probes, selector, SERVICE_ACCOUNT } from './pod';
import { K8sValues } from './values';

/** The migration command of the image (the compose `migrate` service runs the same). */
export const MIGRATE_COMMAND = ['node', 'dist/src/migrate.js'];
/** The worker process of issue 13 (`tessera worker --models a,b`). */
export const workerCommand = (models: string[]): string[] => ['node', 'dist/src/cli/tessera.js', 'worker', '--models', models.join(','), '--port', '3000'];

const meta = (v: K8sValues, name: string, component: Component, extra: Record<string, unknown> = {}) => ({ name, namespace: v.namespace, labels: labels(v, component), ...extra });

/** A Job's pod template is immutable: one Job per version, so a new release runs its migrations in a new Job. */
export const migrateJobName = (v: K8sValues): string => `tessera-migrate-${v.imageTag.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;

function base(v: K8sValues): K8sObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: v.namespace, labels: { 'app.kubernetes.io/part-of': 'tessera', 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(v, SERVICE_ACCOUNT, 'api'), automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(v, CONFIG_MAP, 'api'), data: { ...v.config } },
  ];
}

/** Runs before the rollout (docs/deploy.md: applied and waited for first); the API's init container is the guard when it was skipped. */
function migrateJob(v: K8sValues): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(v, migrateJobName(v), 'migrate'),
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 7 * 86_400,
      template: {
        metadata: { labels: labels(v, 'migrate') },
        spec: podSpec(v, [container(v, 'migrate', MIGRATE_COMMAND, v.migrate.resources)], { restartPolicy: 'Never' }),
      },
    },
  };
}

function deployment(v: K8sValues, name: string, component: Component, replicas: number, command: string[] | undefined, resources: K8sValues['api']['resources']): K8sObject {
  const main = {
    ...container(v, component, command, resources),
    ...probes(),
    // Endpoints drop the pod before it stops accepting; then SIGTERM drains (TESSERA_SHUTDOWN_TIMEOUT_MS).
    lifecycle: { preStop: { sleep: { seconds: v.preStopSleepSeconds } } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(v, name, component),
    spec: {
      replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(component) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(v, component) },
        spec: podSpec(v, [main], {
          // Migrations (a no-op when the Job ran them) before the new version serves: a failing one stops the rollout, the old pods keep serving.
          initContainers: [container(v, 'migrate', MIGRATE_COMMAND, v.migrate.resources)],
          terminationGracePeriodSeconds: v.terminationGracePeriodSeconds,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(component) } }],
        }),
      },
    },
  };
}

function api(v: K8sValues): K8sObject[] {
  return [
    deployment(v, 'tessera', 'api', v.api.minReplicas, undefined, v.api.resources),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(v, 'tessera', 'api'),
      spec: { type: 'ClusterIP', selector: selector('api'), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(v, 'tessera', 'api'), spec: { maxUnavailable: 1, selector: { matchLabels: selector('api') } } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(v, 'tessera', 'api'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tessera' },
        minReplicas: v.api.minReplicas,
        maxReplicas: v.api.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: v.api.targetCpuPercent } } }],
        // Scale down slowly: a replica's caches (auth, deployments) are warm.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
    },
  ];
}

function workers(v: K8sValues): K8sObject[] {
  return [
    deployment(v, 'tessera-worker', 'worker', v.workers.replicas, workerCommand(v.workers.models), v.workers.resources),
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(v, 'tessera-worker', 'worker'), spec: { maxUnavailable: 1, selector: { matchLabels: selector('worker') } } },
  ];
}

/** Default deny for every Tessera pod, then: the API port from the own namespace and the listed ones; DNS and the stores' ports out. */
function networkPolicy(v: K8sValues): K8sObject {
  const fromNamespaces = [v.namespace, ...v.ingressFromNamespaces].map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(v, 'tessera', 'api'),
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'tessera' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: fromNamespaces, ports: [{ protocol: 'TCP', port: HTTP_PORT }] }],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        { ports: v.egressPorts.map((port) => ({ protocol: 'TCP', port })) },
      ],
    },
  };
}

/** /metrics needs a key with `metrics.read` (ADR 0014; admin only today): the Prometheus operator reads it from the Secret. */
function serviceMonitor(v: K8sValues): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { ...meta(v, 'tessera', 'api'), labels: { ...labels(v, 'api'), ...v.serviceMonitorLabels } },
    spec: {
      selector: { matchLabels: selector('api') },
      namespaceSelector: { matchNames: [v.namespace] },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s', authorization: { type: 'Bearer', credentials: { name: v.secret.name, key: 'metrics-api-key' } } }],
    },
  };
}

/** The manifests by file, in the order they are applied (docs/deploy.md). */
export function renderManifests(v: K8sValues): Record<string, K8sObject[]> {
  return {
    '00-base.yaml': base(v),
    '10-migrate-job.yaml': [migrateJob(v)],
    '20-api.yaml': [...api(v), networkPolicy(v)],
    '30-workers.yaml': workers(v),
    '40-service-monitor.yaml': [serviceMonitor(v)],
  };
}
