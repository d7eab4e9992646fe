import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { graphql } from '../gql';
import { ApiError, gql, rest } from './api';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      principal {
        id
        displayName
      }
      permissions
    }
  }
`);

export interface Viewer {
  id: string;
  displayName: string;
  permissions: string[];
}

interface SessionState {
  viewer?: Viewer | null;
  signIn(apiKey: string): Promise<void>;
  signOut(): Promise<void>;
  can(action: string): boolean;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** Who is signed in, from the session cookie (httpOnly: script never sees it; `viewer` tells who it is). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null | undefined>(undefined);
  const load = useCallback(async () => {
    try {
      const { viewer: v } = await gql(ViewerQuery);
      setViewer({ id: v.principal.id, displayName: v.principal.displayName, permissions: v.permissions });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') setViewer(null);
      else throw err;
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const signIn = useCallback(
    async (apiKey: string) => {
      await rest('POST', '/v1/session', { apiKey });
      await load();
    },
    [load],
  );
  const signOut = useCallback(async () => {
    await rest('DELETE', '/v1/session');
    setViewer(null);
  }, []);
  const can = useCallback((action: string) => viewer?.permissions.includes(action) ?? false, [viewer]);
  return <SessionContext.Provider value={{ viewer, signIn, signOut, can }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
