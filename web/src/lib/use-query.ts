import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, gql } from './api';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** Runs the operation again (after a change the page made), keeping the current data until it answers. */
  reload: () => void;
}

/** Runs an operation when the page mounts and whenever its variables change; the last answer wins. */
export function useQuery<T, V>(document: TypedDocumentString<T, V>, variables: V, skip = false): QueryState<T> {
  // `request` names the answer the page waits for; the stored answer says which request it answers, so
  // "loading" is derived (no state set synchronously in the effect) and stale data stays shown meanwhile.
  const [answer, setAnswer] = useState<{ request?: string; data?: T; error?: ApiError }>({});
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  const request = `${generation} ${key}`;
  useEffect(() => {
    if (skip) return;
    let current = true;
    gql(document, JSON.parse(key) as V).then(
      (data) => current && setAnswer({ request, data }),
      (error: unknown) => current && setAnswer({ request, error: error instanceof ApiError ? error : new ApiError('ERROR', String(error)) }),
    );
    return () => {
      current = false;
    };
  }, [document, key, skip, request]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: answer.data, error: answer.error, loading: !skip && answer.request !== request, reload };
}
