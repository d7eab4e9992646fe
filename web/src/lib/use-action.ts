import { useCallback, useState } from 'react';
import { ApiError } from './api';

export interface ActionState {
  busy: boolean;
  error?: ApiError;
  /** Runs `step`; a refusal is kept in `error` (shown next to the control), never thrown to the page. Resolves true on success. */
  run(step: () => Promise<unknown>): Promise<boolean>;
  clear(): void;
}

/** One user action (a mutation) with its pending state and the server's refusal, if any. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async (step: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('ERROR', String(err)));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, run, clear };
}
