/** Where the developer pages' browser files are served (src/api-docs/developer-pages.ts). */
export const ASSET_PREFIX = '/_assets/';

/** Probes and the API's own description: no caller, no key (they hold no data). */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/openapi.json', '/docs']);

const pathOf = (url: string): string => url.split('?')[0];

/** A browser opening the GraphQL IDE: GET /graphql for text/html, without an operation in the query string. */
export function isGraphqlIdeRequest(method: string, url: string, accept: string | undefined): boolean {
  if (method !== 'GET' || pathOf(url) !== '/graphql' || !(accept ?? '').includes('text/html')) return false;
  return !new URLSearchParams(url.split('?')[1] ?? '').has('query');
}

/**
 * Requests that need no key: the probes, the API description and reference page, the IDE page and
 * the local assets those pages load (a browser cannot add an Authorization header to a <script>).
 * The IDE itself sends the key the user types with every operation.
 */
export function isOpenRequest(method: string, url: string, accept: string | undefined): boolean {
  const path = pathOf(url);
  if (path === '/health' || path === '/ready') return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return OPEN_PATHS.has(path) || path.startsWith(ASSET_PREFIX) || isGraphqlIdeRequest(method, url, accept);
}
