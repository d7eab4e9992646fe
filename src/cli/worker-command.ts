/** What `tessera worker` changes in the environment before the service starts in this process. */
export interface WorkerOptions {
  models: string;
  port: string;
}

const MODEL_LIST = /^[a-z][a-z0-9_-]{0,62}(,[a-z][a-z0-9_-]{0,62})*$/;

/**
 * `tessera worker --models a,b`: the service as a model-on-demand worker (ADR 0027) — it scores the
 * requests of the listed models from NATS and serves /health, /ready and /metrics on its own port.
 * It applies no contracts at start-up (the API replicas do). Returns an error message, or null.
 */
export function workerEnvironment(opts: WorkerOptions, env: NodeJS.ProcessEnv): string | null {
  if (!MODEL_LIST.test(opts.models)) return `--models must be a comma-separated list of model names, got ${JSON.stringify(opts.models)}`;
  if (!env.NATS_URL) return 'tessera worker needs NATS_URL (the broker the prediction requests arrive on)';
  env.TESSERA_PREDICT_WORKERS = opts.models;
  env.PORT = opts.port;
  env.TESSERA_APPLY_ON_START = 'false';
  return null;
}
