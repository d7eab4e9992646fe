/**
 * What an operator may change in the rendered Kubernetes manifests (ADR 0029). Everything else — probes,
 * security contexts, the migration ordering — is fixed by the renderer and asserted by
 * test/deploy/k8s-manifests.spec.ts. Secrets are never values here: only the name of the Secret and its keys.
 */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface K8sValues {
  namespace: string;
  /** Image reference without tag; the tag is the package version unless `imageTag` is given. */
  image: string;
  imageTag: string;
  api: { minReplicas: number; maxReplicas: number; targetCpuPercent: number; resources: Resources };
  /** `tessera worker --models <list>` (stream sources and model-on-demand, issue 13): their own Deployment. */
  workers: { replicas: number; models: string[]; resources: Resources };
  migrate: { resources: Resources };
  /** Name of the Secret (created by the operator, docs/deploy.md) and the environment variable each of its keys feeds. */
  secret: { name: string; keys: Record<string, { key: string; optional: boolean }> };
  /** Plain, non-secret settings (ConfigMap): every name must be a variable of src/config/config.schema.ts. */
  config: Record<string, string>;
  /** Namespaces allowed to reach the API port (the ingress controller's, Prometheus'); the own namespace always is. */
  ingressFromNamespaces: string[];
  /** Destination ports the pods may open (PostgreSQL, Redis, NATS, HTTPS for webhooks and OIDC keys), besides DNS. */
  egressPorts: number[];
  /** Seconds between SIGTERM and SIGKILL; must exceed preStop + TESSERA_SHUTDOWN_TIMEOUT_MS. */
  terminationGracePeriodSeconds: number;
  /** Seconds the preStop hook waits so that Service endpoints drop the pod before it stops accepting. */
  preStopSleepSeconds: number;
  /** Label the Prometheus operator selects ServiceMonitors by. */
  serviceMonitorLabels: Record<string, string>;
}

/** The image's user (Dockerfile `USER 1000:1000`, the official node image's `node`). */
export const IMAGE_UID = 1000;

export const DEFAULT_VALUES: K8sValues = {
  namespace: 'tessera',
  image: 'registry.example.com/tessera',
  imageTag: '0.1.0', // replaced by package.json's version when rendered
  api: {
    minReplicas: 2,
    maxReplicas: 10,
    targetCpuPercent: 70,
    resources: { requests: { cpu: '500m', memory: '768Mi' }, limits: { cpu: '2', memory: '2Gi' } },
  },
  workers: {
    replicas: 2,
    models: ['customer_value'],
    resources: { requests: { cpu: '500m', memory: '768Mi' }, limits: { cpu: '2', memory: '2Gi' } },
  },
  migrate: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
  secret: {
    name: 'tessera-secrets',
    keys: {
      DATABASE_URL: { key: 'database-url', optional: false },
      REDIS_URL: { key: 'redis-url', optional: false },
      TESSERA_ADMIN_KEY: { key: 'admin-key', optional: false },
      TESSERA_PII_HMAC_SECRET: { key: 'pii-hmac-secret', optional: false },
      TESSERA_SESSION_SECRET: { key: 'session-secret', optional: true },
      TESSERA_ALERT_WEBHOOK_SECRET: { key: 'alert-webhook-secret', optional: true },
    },
  },
  config: {
    NATS_URL: 'nats://nats.tessera.svc:4222',
    TESSERA_ONLINE_STORE: 'redis',
    TESSERA_APPLY_ON_START: 'off',
    // The API pods take prediction requests over REST only; the worker Deployment serves the broker (ADR 0027).
    TESSERA_PREDICT_WORKERS: 'off',
    TESSERA_SHUTDOWN_TIMEOUT_MS: '25000',
    LOG_LEVEL: 'info',
  },
  ingressFromNamespaces: ['ingress-nginx', 'monitoring'],
  egressPorts: [5432, 6379, 4222, 443],
  terminationGracePeriodSeconds: 40,
  preStopSleepSeconds: 5,
  serviceMonitorLabels: { release: 'prometheus' },
};
