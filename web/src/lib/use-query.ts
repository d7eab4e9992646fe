import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, gql } from './api';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** Runs the operation again (after a change the page made), keeping the current data until it answers. */
  reload(): void;
}

/** Runs an operation when the page mounts and whenever its variables change; the last answer wins. */
export function useQuery<T, V>(document: TypedDocumentString<T, V>, variables: V, skip = false): QueryState<T> {
  const [state, setState] = useState<Omit<QueryState<T>, 'reload'>>({ loading: !skip });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    gql(document, JSON.parse(key) as V).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error instanceof ApiError ? error : new ApiError('ERROR', String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [document, key, skip, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
