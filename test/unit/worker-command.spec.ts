import { buildProgram } from '../../src/cli/tessera-program';
import { workerEnvironment } from '../../src/cli/worker-command';

describe('tessera worker --models (ADR 0027)', () => {
  it('sets the worker list, its own port and no apply at start-up', () => {
    const env: NodeJS.ProcessEnv = { NATS_URL: 'nats://127.0.0.1:4222', TESSERA_APPLY_ON_START: 'contracts' };
    expect(workerEnvironment({ models: 'driver_risk,churn-v2', port: '3101' }, env)).toBeNull();
    expect(env).toMatchObject({ TESSERA_PREDICT_WORKERS: 'driver_risk,churn-v2', PORT: '3101', TESSERA_APPLY_ON_START: 'false' });
  });

  it('refuses a bad model list or a missing broker, changing nothing', () => {
    const env: NodeJS.ProcessEnv = { NATS_URL: 'nats://127.0.0.1:4222' };
    expect(workerEnvironment({ models: 'a.b,*', port: '3001' }, env)).toMatch(/--models must be a comma-separated list of model names, got "a\.b,\*"/);
    expect(workerEnvironment({ models: 'risk', port: '3001' }, {})).toMatch(/needs NATS_URL/);
    expect(env.TESSERA_PREDICT_WORKERS).toBeUndefined();
  });

  it('is a command of the CLI with a required --models and a --port defaulting to 3001', () => {
    const worker = buildProgram({}).commands.find((c) => c.name() === 'worker')!;
    expect(worker.options.find((o) => o.long === '--models')?.required).toBe(true);
    expect(worker.options.find((o) => o.long === '--port')?.defaultValue).toBe('3001');
  });
});
