import { IMAGE_UID, K8sValues, Resources } from './values';

/** A plain JSON object of the Kubernetes API (validated against its schema in test/deploy/k8s-manifests.spec.ts). */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

export type Component = 'api' | 'worker' | 'migrate';

export const CONFIG_MAP = 'tessera-config';
export const SERVICE_ACCOUNT = 'tessera';
export const HTTP_PORT = 3000;

/** The image's data directory (Dockerfile TESSERA_DATA_DIR, a VOLUME): an emptyDir here, as the root filesystem is read-only. */
const DATA_DIR = '/var/lib/tessera';

export function labels(v: K8sValues, component: Component): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'tessera',
    'app.kubernetes.io/instance': 'tessera',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'tessera',
    'app.kubernetes.io/version': v.imageTag,
    'app.kubernetes.io/managed-by': 'tessera-render-k8s',
  };
}

/** What selectors match on: stable across versions (a Deployment's selector is immutable). */
export function selector(component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': 'tessera', 'app.kubernetes.io/component': component };
}

/** Settings from the ConfigMap, secrets one by one from the Secret: no secret value ever sits in a manifest. */
function environment(v: K8sValues): Record<string, unknown>[] {
  return Object.entries(v.secret.keys).map(([name, { key, optional }]) => ({ name, valueFrom: { secretKeyRef: { name: v.secret.name, key, optional } } }));
}

export function container(v: K8sValues, name: string, command: string[] | undefined, resources: Resources): Record<string, unknown> {
  return {
    name,
    image: `${v.image}:${v.imageTag}`,
    imagePullPolicy: 'IfNotPresent',
    ...(command ? { command } : {}),
    envFrom: [{ configMapRef: { name: CONFIG_MAP } }],
    env: environment(v),
    resources,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: IMAGE_UID,
      runAsGroup: IMAGE_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'data', mountPath: DATA_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

/** Liveness on /health (the process answers), readiness on /ready (its stores answer), a start-up allowance for migrations. */
export function probes(): Record<string, unknown> {
  const get = (path: string) => ({ httpGet: { path, port: 'http' } });
  return {
    ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
    startupProbe: { ...get('/health'), periodSeconds: 2, failureThreshold: 90, timeoutSeconds: 2 },
    livenessProbe: { ...get('/health'), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    readinessProbe: { ...get('/ready'), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 },
  };
}

export function podSpec(v: K8sValues, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    serviceAccountName: SERVICE_ACCOUNT,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, fsGroup: IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } },
    containers,
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
    ],
    ...extra,
  };
}
