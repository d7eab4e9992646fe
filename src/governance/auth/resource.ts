/**
 * What an action is applied to, as far as authorization needs to know: only the domains involved.
 * Built by the guard from the request (and small catalog look-ups), so `authorize()` stays pure.
 */
export type Resource =
  /** Mesh-wide: reads of the catalog, key management, the audit trail, policies. */
  | { type: 'mesh' }
  /** One data product; `domain` null when the product is not in the catalog (the service answers 404). */
  | { type: 'product'; id: string; domain: string | null }
  /** The documents of one apply; each names the domains it touches (none: a mesh-level document). */
  | { type: 'documents'; documents: DocumentScope[] }
  /** Feature views (push, materialize); `all` when the request names none. */
  | { type: 'views'; views: ViewScope[] | 'all' }
  /**
   * A model. `domains`: its owner for staging and deploying; for a registration also the domain the
   * new version declares or derives (two when the model moves). Empty when the model is not registered
   * (the service answers) and for reads and predict, which are mesh-wide. `adminOnly` says why only
   * an admin may act (a model registered before models had domains).
   */
  | { type: 'model'; name: string; domains: string[]; adminOnly?: string };

export interface DocumentScope {
  /** `file#index` (index of the `---` section), as apply reports name documents. */
  document: string;
  kind: string;
  name: string;
  /** Domains whose products the document creates or changes; empty for mesh-level documents (Entity, FeatureService, UseCase...). */
  domains: string[];
  /** Set for documents only admin may apply (mesh-wide policy, unknown kinds): why. */
  adminOnly?: string;
}

export interface ViewScope {
  name: string;
  /** Domain of the view's source product; null when the view is unknown (the service answers). */
  domain: string | null;
}

export const MESH: Resource = Object.freeze({ type: 'mesh' });

/** Short text for the audit trail. */
export function describeResource(r: Resource): string {
  switch (r.type) {
    case 'mesh':
      return 'mesh';
    case 'product':
      return `product:${r.id}`;
    case 'documents':
      return `documents:${r.documents.map((d) => d.document).join(',')}`.slice(0, 1000);
    case 'views':
      return r.views === 'all' ? 'views:*' : `views:${r.views.map((v) => v.name).join(',')}`.slice(0, 1000);
    case 'model':
      return `model:${r.name}`;
  }
}
