import { Action, ACTIONS, isAction } from './actions';
import type { Principal, Role, RoleGrant } from './principal';
import type { Resource } from './resource';

export interface Decision {
  allow: boolean;
  reason: string;
}

/** What a domain team (owner or member) may do anywhere in the mesh; its own domain adds more (IN_OWN_DOMAIN below). */
const DOMAIN_TEAM_MESH_WIDE: ReadonlySet<Action> = new Set<Action>([
  'self.read',
  'catalog.read',
  'jobs.read',
  'models.read',
  'features.read.online',
  'features.read.offline',
  'models.predict',
  'policies.read',
  'agreements.read',
  'agreements.request',
]);

/** Actions a role allows wherever the resource lives (reads, and mesh-level governance work). */
const MESH_WIDE: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(), // admin is decided before the tables
  governance_member: new Set<Action>(['self.read', 'catalog.read', 'jobs.read', 'models.read', 'audit.read', 'policies.read', 'policies.propose', 'policies.vote', 'agreements.read']),
  // Mesh-wide: withdraws policies. Votes are cast for a domain, so a lead votes only through a governance_member grant.
  governance_lead: new Set<Action>(['self.read', 'catalog.read', 'jobs.read', 'models.read', 'audit.read', 'policies.read', 'policies.propose', 'policies.withdraw', 'agreements.read']),
  domain_owner: DOMAIN_TEAM_MESH_WIDE,
  domain_member: DOMAIN_TEAM_MESH_WIDE,
  consumer: new Set<Action>(['self.read', 'catalog.read', 'models.read', 'features.read.online', 'features.read.offline', 'models.predict', 'policies.read', 'agreements.read', 'agreements.request']),
  model_service: new Set<Action>(['self.read', 'catalog.read', 'models.read', 'features.read.online', 'models.predict']),
};

/** Actions a role allows only on resources of the domain the grant names: domain teams change only their own products. */
const IN_OWN_DOMAIN: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(),
  governance_member: new Set(),
  governance_lead: new Set(),
  domain_owner: new Set<Action>(['catalog.apply', 'features.ingest', 'features.push', 'features.materialize', 'models.register', 'models.deploy', 'agreements.approve']),
  domain_member: new Set<Action>(['catalog.apply', 'features.ingest', 'features.push', 'features.materialize', 'models.register']),
  consumer: new Set(),
  model_service: new Set(),
};

const allow = (reason: string): Decision => ({ allow: true, reason });
const deny = (reason: string): Decision => ({ allow: false, reason });

/** Domains in which the principal holds a role allowing a domain-scoped action. */
function domainsAllowing(grants: readonly RoleGrant[], action: Action): Set<string> {
  const out = new Set<string>();
  for (const g of grants) if (g.domain && IN_OWN_DOMAIN[g.role]?.has(action)) out.add(g.domain);
  return out;
}

/**
 * The one authorization decision of Tessera: pure, total, deny by default. Admin may do anything;
 * other roles allow the actions of their tables, domain-scoped ones only inside the grant's domain.
 * The reason names the role that allowed, or what was missing (for apply: the offending document).
 */
export function authorize(principal: Principal, action: Action, resource: Resource): Decision {
  if (!isAction(action)) return deny(`unknown action ${JSON.stringify(action)}`);
  const grants = Array.isArray(principal.roles) ? principal.roles : [];
  if (grants.some((g) => g.role === 'admin')) return allow('admin may do anything');

  const meshWide = grants.find((g) => MESH_WIDE[g.role]?.has(action));
  if (meshWide) return allow(`role ${grantText(meshWide)} allows ${action}`);

  const domains = domainsAllowing(grants, action);
  if (domains.size === 0) return deny(`${principal.id} has no role allowing ${action}`);
  const own = [...domains].sort().join(', ');
  const inDomain = (d: string, what: string): Decision =>
    domains.has(d) ? allow(`a role in domain ${d} allows ${action}`) : deny(`${what} belongs to domain ${d}; ${principal.id} may ${action} only in domain(s) ${own}`);

  switch (resource.type) {
    case 'mesh':
      return deny(`${action} on the whole mesh needs admin; ${principal.id} may act only in domain(s) ${own}`);
    case 'product':
      if (resource.domain === null) return allow(`product ${resource.id} is not in the catalog; a domain role allows ${action}`);
      return inDomain(resource.domain, `product ${resource.id}`);
    case 'model': {
      if (resource.adminOnly) return deny(`model ${resource.name} needs admin: ${resource.adminOnly}`);
      if (resource.domains.length === 0) return allow(`model ${resource.name} is not registered; a domain role allows ${action}`);
      const foreign = resource.domains.find((d) => !domains.has(d));
      if (foreign === undefined) return allow(`a role in domain(s) ${resource.domains.join(', ')} allows ${action}`);
      const what =
        resource.domains.length > 1 ? `model ${resource.name} moves between domains ${resource.domains.join(' and ')}, which needs a role in each` : `model ${resource.name} belongs to domain ${foreign}`;
      return deny(`${what}; ${principal.id} may ${action} only in domain(s) ${own}`);
    }
    case 'views': {
      if (resource.views === 'all') return deny(`${action} of every feature view needs admin; name the views of domain(s) ${own}`);
      for (const v of resource.views) {
        if (v.domain !== null && !domains.has(v.domain)) return deny(`feature view ${v.name} reads a product of domain ${v.domain}; ${principal.id} may ${action} only in domain(s) ${own}`);
      }
      return allow(`every named view is in domain(s) where ${principal.id} may ${action}`);
    }
    case 'documents': {
      for (const d of resource.documents) {
        if (d.adminOnly) return deny(`document ${d.document} (${d.kind} ${d.name}) needs admin: ${d.adminOnly}`);
        const foreign = d.domains.find((x) => !domains.has(x));
        if (foreign !== undefined) {
          return deny(`document ${d.document} (${d.kind} ${d.name}) touches domain ${foreign}; ${principal.id} may ${action} only in domain(s) ${own}`);
        }
      }
      return allow(`every document is in domain(s) where ${principal.id} may ${action}, or mesh-level`);
    }
  }
}

function grantText(g: RoleGrant): string {
  return g.domain ? `${g.role}(${g.domain})` : g.role;
}

/** Roles that take a domain (the others must not). */
export const DOMAIN_SCOPED_ROLES: ReadonlySet<Role> = new Set<Role>(['governance_member', 'domain_owner', 'domain_member']);

/**
 * Actions the principal may take somewhere (mesh-wide, or in at least one domain): what a user
 * interface offers. Each request is still decided by `authorize` on its resource.
 */
export function actionsAnywhere(principal: Principal): Action[] {
  const grants = Array.isArray(principal.roles) ? principal.roles : [];
  if (grants.some((g) => g.role === 'admin')) return ACTIONS.filter(() => true);
  return ACTIONS.filter((action) => grants.some((g) => MESH_WIDE[g.role]?.has(action)) || domainsAllowing(grants, action).size > 0);
}
