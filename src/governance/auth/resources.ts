import type { AuthorizeInput, ResourceFn } from './authorize.decorator';

/**
 * Resource functions for `@Authorize(action, resource)`. They read the raw request defensively: the
 * handler validates its input afterwards, so a malformed body yields an empty scope here and a 400 there.
 */

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function contractFiles(v: unknown): { path: string; content: string }[] {
  if (!Array.isArray(v)) return [];
  // base64 attachments (model files) are not documents.
  return v.filter((f): f is { path: string; content: string } => typeof asRecord(f).path === 'string' && typeof asRecord(f).content === 'string' && asRecord(f).encoding === undefined);
}

/** The documents of an apply: `files` of the REST body or of the GraphQL arguments. */
export const applyDocuments: ResourceFn = async (input, lookup) => ({
  type: 'documents',
  documents: await lookup.documentScopes(contractFiles(asRecord(input.body).files ?? input.args.files)),
});

/** The data product named by a route parameter. */
export const productParam =
  (param: string): ResourceFn =>
  async (input, lookup) => {
    const id = input.params[param] ?? '';
    return { type: 'product', id, domain: id ? await lookup.productDomain(id) : null };
  };

/** Feature views named by the request; none named means every view. */
export const featureViews =
  (pick: (input: AuthorizeInput) => unknown): ResourceFn =>
  async (input, lookup) => {
    const named = pick(input);
    const names = typeof named === 'string' ? [named] : Array.isArray(named) ? named.filter((n): n is string => typeof n === 'string') : [];
    if (names.length === 0) return { type: 'views', views: 'all' };
    return { type: 'views', views: await lookup.viewDomains([...new Set(names)]) };
  };

const nameOf = (v: unknown): string => (typeof v === 'string' && v.length > 0 ? v : '(unnamed)');

/** A model by name, for reads and predict: mesh-wide actions, so no look-up on the serving path. */
export const modelNamed =
  (pick: (input: AuthorizeInput) => unknown): ResourceFn =>
  (input) => ({ type: 'model', name: nameOf(pick(input)), domains: [] });

/** A model by name with its owning domain, for staging and deploying: only that domain's role (or admin) may. */
export const modelInDomain =
  (pick: (input: AuthorizeInput) => unknown): ResourceFn =>
  async (input, lookup) =>
    lookup.modelScope(nameOf(pick(input)));

/**
 * A model upload: its name and domain are inside the multipart body, read by the handler, which
 * decides again with `requireAllowed` once it knows them. Here only a role allowing the action somewhere.
 */
export const modelUpload: ResourceFn = () => ({ type: 'model', name: '(upload)', domains: [] });

export const bodyField =
  (field: string) =>
  (input: AuthorizeInput): unknown =>
    asRecord(input.body)[field];
export const argField =
  (field: string) =>
  (input: AuthorizeInput): unknown =>
    input.args[field];
