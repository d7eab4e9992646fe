import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { graphql } from '../gql';
import { ApiError, gql, rest } from './api';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      principal {
        id
        displayName
        roles {
          role
          domain
        }
      }
      permissions
    }
  }
`);

export interface Viewer {
  id: string;
  displayName: string;
  permissions: string[];
  roles: { role: string; domain?: string | null }[];
}

// Function-typed properties, not methods: pages destructure them (`const { can } = useSession()`), and they are
// closures over the provider's state, with no `this`.
interface SessionState {
  viewer?: Viewer | null;
  signIn: (apiKey: string) => Promise<void>;
  signOut: () => Promise<void>;
  can: (action: string) => boolean;
  /** Domains in which the viewer holds `role` (e.g. the domains whose access requests a domain owner decides). */
  domainsWith: (role: string) => string[];
  isAdmin: boolean;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** Who is signed in, from the session cookie (httpOnly: script never sees it; `viewer` tells who it is). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    void fetchViewer().then((v) => current && setViewer(v));
    return () => {
      current = false;
    };
  }, []);
  const signIn = useCallback(async (apiKey: string) => {
    await rest('POST', '/v1/session', { apiKey });
    setViewer(await fetchViewer());
  }, []);
  const signOut = useCallback(async () => {
    await rest('DELETE', '/v1/session');
    setViewer(null);
  }, []);
  const can = useCallback((action: string) => viewer?.permissions.includes(action) ?? false, [viewer]);
  const domainsWith = useCallback((role: string) => (viewer?.roles ?? []).filter((r) => r.role === role && r.domain).map((r) => r.domain as string), [viewer]);
  const isAdmin = viewer?.roles.some((r) => r.role === 'admin') ?? false;
  return <SessionContext.Provider value={{ viewer, signIn, signOut, can, domainsWith, isAdmin }}>{children}</SessionContext.Provider>;
}

/** The signed-in principal, or null when the session cookie is missing or expired. */
async function fetchViewer(): Promise<Viewer | null> {
  try {
    const { viewer: v } = await gql(ViewerQuery);
    return { id: v.principal.id, displayName: v.principal.displayName, permissions: v.permissions, roles: v.principal.roles };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') return null;
    throw err;
  }
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
