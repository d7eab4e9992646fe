/** Where the developer pages' browser files are served (src/api-docs/developer-pages.ts). */
export const ASSET_PREFIX = '/_assets/';

/** Probes and the API's own description: no caller, no key (they hold no data). */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/openapi.json', '/docs']);

const pathOf = (url: string): string => url.split('?')[0];

/** Where the portal's built files are served (Vite's assetsDir, web/vite.config.ts). */
export const PORTAL_ASSET_PREFIX = '/portal-assets/';
/** The portal's page routes (web/src/App.tsx): only these fall back to its index.html, so no API route is ever shadowed. */
const PORTAL_PAGES = /^\/(?:$|search$|products\/[^/]+$|lineage\/[^/]+$|features$|features\/[^/]+$|models\/[^/]+$|governance$|design$|design\/[^/]+$)/;

/** A browser opening a portal page (a deep link): GET for text/html on one of its routes. */
export function isPortalPageRequest(method: string, url: string, accept: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && PORTAL_PAGES.test(pathOf(url)) && (accept ?? '').includes('text/html');
}

/** Portal sign-in and sign-out: the key is in the body, the identity provider's answer in the query, or there is nothing to protect. */
const SESSION_GETS: ReadonlySet<string> = new Set(['/v1/session/options', '/v1/session/oidc', '/v1/session/oidc/callback']);
const isSessionRequest = (method: string, path: string): boolean => (path === '/v1/session' && (method === 'POST' || method === 'DELETE')) || (method === 'GET' && SESSION_GETS.has(path));

/** A browser opening the GraphQL IDE: GET /graphql for text/html, without an operation in the query string. */
export function isGraphqlIdeRequest(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' || pathOf(url) !== '/graphql' || !(accept ?? '').includes('text/html')) return false;
  return !new URLSearchParams(url.split('?')[1] ?? '').has('query');
}

/**
 * Requests that need no key: the probes, the API description and reference page, the IDE page and
 * the local assets those pages load (a browser cannot add an Authorization header to a <script>).
 * The IDE itself sends the key the user types with every operation; the portal, its session cookie.
 */
export function isOpenRequest(method: string, url: string, accept: string | undefined): boolean {
  const path = pathOf(url);
  if (path === '/health' || path === '/ready' || isSessionRequest(method, path)) return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  // The portal's page and script files hold no data: its data comes from /graphql, with the session cookie.
  return OPEN_PATHS.has(path) || path.startsWith(ASSET_PREFIX) || path.startsWith(PORTAL_ASSET_PREFIX) || isGraphqlIdeRequest(method, url, accept) || isPortalPageRequest(method, url, accept);
}
