import fc from 'fast-check';
import { Action, ACTIONS, WRITE_ACTIONS } from '../../src/governance/auth/actions';
import { authorize } from '../../src/governance/auth/authorize';
import type { Principal, Role, RoleGrant } from '../../src/governance/auth/principal';
import type { Resource } from '../../src/governance/auth/resource';

const who = (...roles: RoleGrant[]): Principal => ({ id: 'person:t', kind: 'person', displayName: 't', roles });
const MESH: Resource = { type: 'mesh' };
const productIn = (domain: string | null): Resource => ({ type: 'product', id: 'p', domain });

/** The matrix: for each role (in domain A where scoped), each action on a resource of domain A. */
const ROLE_IN_A: Record<Role, RoleGrant> = {
  admin: { role: 'admin' },
  governance_lead: { role: 'governance_lead' },
  governance_member: { role: 'governance_member', domain: 'A' },
  domain_owner: { role: 'domain_owner', domain: 'A' },
  domain_member: { role: 'domain_member', domain: 'A' },
  consumer: { role: 'consumer' },
  model_service: { role: 'model_service' },
};

const ALL = new Set<Action>(ACTIONS);
const READS_OF_TEAMS: Action[] = [
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
];
const EXPECTED: Record<Role, Set<Action>> = {
  admin: ALL,
  governance_lead: new Set<Action>(['self.read', 'catalog.read', 'jobs.read', 'models.read', 'audit.read', 'policies.read', 'policies.propose', 'policies.withdraw', 'agreements.read']),
  governance_member: new Set<Action>(['self.read', 'catalog.read', 'jobs.read', 'models.read', 'audit.read', 'policies.read', 'policies.propose', 'policies.vote', 'agreements.read']),
  domain_owner: new Set<Action>([...READS_OF_TEAMS, 'catalog.apply', 'features.ingest', 'features.push', 'features.materialize', 'models.register', 'models.deploy', 'agreements.approve']),
  domain_member: new Set<Action>([...READS_OF_TEAMS, 'catalog.apply', 'features.ingest', 'features.push', 'features.materialize', 'models.register']),
  consumer: new Set<Action>(['self.read', 'catalog.read', 'models.read', 'features.read.online', 'features.read.offline', 'models.predict', 'policies.read', 'agreements.read', 'agreements.request']),
  model_service: new Set<Action>(['self.read', 'catalog.read', 'models.read', 'features.read.online', 'models.predict']),
};

describe('authorize(principal, action, resource)', () => {
  describe('matrix: every role x every action on a product of domain A', () => {
    const rows = (Object.keys(ROLE_IN_A) as Role[]).flatMap((role) => ACTIONS.map((action) => [role, action, EXPECTED[role].has(action)] as const));
    it.each(rows)('%s / %s -> allow=%s', (role, action, expected) => {
      const d = authorize(who(ROLE_IN_A[role]), action, productIn('A'));
      expect(d.allow).toBe(expected);
      expect(d.reason.length).toBeGreaterThan(0);
    });
  });

  it('denies a principal without roles everything, naming the missing role', () => {
    for (const action of ACTIONS) {
      const d = authorize(who(), action, MESH);
      expect(d).toEqual({ allow: false, reason: `person:t has no role allowing ${action}` });
    }
  });

  it('denies unknown actions, even to admin', () => {
    expect(authorize(who({ role: 'admin' }), 'drop.everything' as Action, MESH)).toEqual({ allow: false, reason: 'unknown action "drop.everything"' });
  });

  it('keeps domain teams inside their domain for products, views and models', () => {
    const owner = who({ role: 'domain_owner', domain: 'rides' });
    expect(authorize(owner, 'features.ingest', productIn('rides')).allow).toBe(true);
    const other = authorize(owner, 'features.ingest', productIn('payments'));
    expect(other).toEqual({ allow: false, reason: 'product p belongs to domain payments; person:t may features.ingest only in domain(s) rides' });
    expect(authorize(owner, 'features.ingest', productIn(null))).toMatchObject({ allow: true, reason: expect.stringMatching(/not in the catalog/) });
    expect(
      authorize(owner, 'features.push', {
        type: 'views',
        views: [
          { name: 'v', domain: 'rides' },
          { name: 'w', domain: null },
        ],
      }).allow,
    ).toBe(true);
    expect(
      authorize(owner, 'features.push', {
        type: 'views',
        views: [
          { name: 'v', domain: 'rides' },
          { name: 'w', domain: 'payments' },
        ],
      }),
    ).toMatchObject({ allow: false, reason: expect.stringMatching(/feature view w reads a product of domain payments/) });
    expect(authorize(owner, 'features.materialize', { type: 'views', views: 'all' })).toMatchObject({ allow: false, reason: expect.stringMatching(/every feature view needs admin/) });
    expect(authorize(owner, 'models.deploy', { type: 'model', name: 'm', domains: ['payments'] }).allow).toBe(false);
    expect(authorize(owner, 'catalog.apply', MESH)).toMatchObject({ allow: false, reason: expect.stringMatching(/whole mesh needs admin/) });
  });

  it('denies an apply touching another domain, naming the document', () => {
    const member = who({ role: 'domain_member', domain: 'rides' });
    const docs = (domains: string[][]): Resource => ({ type: 'documents', documents: domains.map((d, i) => ({ document: `f${i}.yaml#0`, kind: 'DataProduct', name: `p${i}`, domains: d })) });
    expect(authorize(member, 'catalog.apply', docs([['rides'], [], ['rides']])).allow).toBe(true);
    expect(authorize(member, 'catalog.apply', docs([['rides'], ['rides', 'payments']]))).toEqual({
      allow: false,
      reason: 'document f1.yaml#0 (DataProduct p1) touches domain payments; person:t may catalog.apply only in domain(s) rides',
    });
    const policy: Resource = { type: 'documents', documents: [{ document: 'p.yaml#0', kind: 'Policy', name: 'x', domains: [], adminOnly: 'Policy documents are mesh-wide' }] };
    expect(authorize(member, 'catalog.apply', policy)).toEqual({ allow: false, reason: 'document p.yaml#0 (Policy x) needs admin: Policy documents are mesh-wide' });
    expect(authorize(who({ role: 'admin' }), 'catalog.apply', policy).allow).toBe(true);
  });

  it('combines grants: a member of A and an owner of B may apply documents touching both', () => {
    const p = who({ role: 'domain_member', domain: 'A' }, { role: 'domain_owner', domain: 'B' });
    expect(authorize(p, 'catalog.apply', { type: 'documents', documents: [{ document: 'x#0', kind: 'DataProduct', name: 'x', domains: ['A', 'B'] }] }).allow).toBe(true);
    expect(authorize(p, 'models.deploy', { type: 'model', name: 'm', domains: ['A'] }).allow).toBe(false); // only owners deploy
    expect(authorize(p, 'models.deploy', { type: 'model', name: 'm', domains: ['B'] }).allow).toBe(true);
  });

  describe('models belong to a domain', () => {
    const model = (domains: string[], adminOnly?: string): Resource => ({ type: 'model', name: 'm', domains, ...(adminOnly ? { adminOnly } : {}) });
    const ownerA = who({ role: 'domain_owner', domain: 'A' });
    const memberA = who({ role: 'domain_member', domain: 'A' });

    it("registering needs a role of the model's domain; deploying an owner of it", () => {
      expect(authorize(memberA, 'models.register', model(['A']))).toEqual({ allow: true, reason: 'a role in domain(s) A allows models.register' });
      expect(authorize(memberA, 'models.register', model(['B']))).toEqual({ allow: false, reason: 'model m belongs to domain B; person:t may models.register only in domain(s) A' });
      expect(authorize(ownerA, 'models.deploy', model(['A'])).allow).toBe(true);
      expect(authorize(memberA, 'models.deploy', model(['A']))).toEqual({ allow: false, reason: 'person:t has no role allowing models.deploy' });
      expect(authorize(ownerA, 'models.deploy', model(['B'])).allow).toBe(false);
    });

    it('moving a model needs a role in both domains', () => {
      const moving = model(['A', 'B']);
      expect(authorize(memberA, 'models.register', moving)).toEqual({ allow: false, reason: 'model m moves between domains A and B, which needs a role in each; person:t may models.register only in domain(s) A' });
      expect(authorize(who({ role: 'domain_member', domain: 'A' }, { role: 'domain_member', domain: 'B' }), 'models.register', moving).allow).toBe(true);
    });

    it('an unregistered model is left to the service (404) for anyone with the action somewhere; an unowned one needs admin', () => {
      expect(authorize(ownerA, 'models.deploy', model([])).allow).toBe(true);
      expect(authorize(who({ role: 'consumer' }), 'models.deploy', model([])).allow).toBe(false);
      expect(authorize(ownerA, 'models.deploy', model([], 'no domain'))).toEqual({ allow: false, reason: 'model m needs admin: no domain' });
      expect(authorize(who({ role: 'admin' }), 'models.deploy', model([], 'no domain')).allow).toBe(true);
    });

    it('reads and predict stay mesh-wide whatever the domain', () => {
      for (const p of [memberA, ownerA, who({ role: 'consumer' }), who({ role: 'model_service' })]) {
        expect(authorize(p, 'models.predict', model(['B'])).allow).toBe(true);
        expect(authorize(p, 'models.read', model(['B'])).allow).toBe(true);
      }
    });
  });

  describe('withdrawing a policy', () => {
    it('is allowed to governance leads and admins only, not to every voter', () => {
      expect(authorize(who({ role: 'governance_lead' }), 'policies.withdraw', MESH)).toEqual({ allow: true, reason: 'role governance_lead allows policies.withdraw' });
      expect(authorize(who({ role: 'admin' }), 'policies.withdraw', MESH).allow).toBe(true);
      const voter = who({ role: 'governance_member', domain: 'A' });
      expect(authorize(voter, 'policies.vote', MESH).allow).toBe(true);
      expect(authorize(voter, 'policies.withdraw', MESH)).toEqual({ allow: false, reason: 'person:t has no role allowing policies.withdraw' });
      expect(authorize(who({ role: 'governance_lead' }), 'policies.vote', MESH).allow).toBe(false); // votes are cast for a domain
      expect(WRITE_ACTIONS.has('policies.withdraw')).toBe(true);
    });
  });

  describe('properties', () => {
    const domain = fc.constantFrom('A', 'B', 'C', 'rides', 'payments');
    const role = fc.constantFrom<Role>('admin', 'governance_lead', 'governance_member', 'domain_owner', 'domain_member', 'consumer', 'model_service');
    const grant: fc.Arbitrary<RoleGrant> = fc.tuple(role, domain).map(([r, d]) => (['governance_member', 'domain_owner', 'domain_member'].includes(r) ? { role: r, domain: d } : { role: r }));
    const principal = fc.array(grant, { maxLength: 5 }).map((roles) => who(...roles));
    const action = fc.constantFrom(...ACTIONS);
    const resource: fc.Arbitrary<Resource> = fc.oneof(
      fc.constant<Resource>({ type: 'mesh' }),
      fc.option(domain, { nil: null }).map((d): Resource => ({ type: 'product', id: 'p', domain: d })),
      fc
        .tuple(fc.uniqueArray(domain, { maxLength: 2 }), fc.boolean())
        .map(([domains, unowned]): Resource => ({ type: 'model', name: 'm', domains: unowned ? [] : domains, ...(unowned ? { adminOnly: 'unowned' } : {}) })),
      fc.oneof(fc.constant('all' as const), fc.array(fc.record({ name: fc.string(), domain: fc.option(domain, { nil: null }) }), { maxLength: 4 })).map((views): Resource => ({ type: 'views', views })),
      fc
        .array(fc.record({ document: fc.string(), kind: fc.constant('DataProduct'), name: fc.string(), domains: fc.uniqueArray(domain, { maxLength: 3 }) }), { maxLength: 4 })
        .map((documents): Resource => ({ type: 'documents', documents })),
    );

    it('admin is always allowed', () => {
      fc.assert(fc.property(principal, action, resource, (p, a, r) => authorize({ ...p, roles: [...p.roles, { role: 'admin' }] }, a, r).allow === true));
    });

    it('a domain owner of A (with no other grant) never writes a product, view or document of B', () => {
      fc.assert(
        // agreements.request is how a team asks for another domain's data: not a write to that domain.
        fc.property(fc.constantFrom(...[...WRITE_ACTIONS].filter((a) => a !== 'agreements.request')), (a) => {
          const ownerA = who({ role: 'domain_owner', domain: 'A' });
          const docs: Resource = { type: 'documents', documents: [{ document: 'd#0', kind: 'DataProduct', name: 'x', domains: ['B'] }] };
          return [
            productIn('B'),
            { type: 'views', views: [{ name: 'v', domain: 'B' }] } as Resource,
            docs,
            { type: 'model', name: 'm', domains: ['B'] } as Resource,
            { type: 'model', name: 'm', domains: ['A', 'B'] } as Resource,
          ].every((r) => !authorize(ownerA, a, r).allow);
        }),
      );
    });

    it('is deterministic and always gives a reason', () => {
      fc.assert(
        fc.property(principal, action, resource, (p, a, r) => {
          const x = authorize(p, a, r);
          const y = authorize(p, a, r);
          return x.allow === y.allow && x.reason === y.reason && x.reason.length > 0;
        }),
      );
    });

    it('more grants never take a permission away (monotone)', () => {
      fc.assert(fc.property(principal, grant, action, resource, (p, g, a, r) => !authorize(p, a, r).allow || authorize({ ...p, roles: [...p.roles, g] }, a, r).allow));
    });

    it('without admin, a write on a known domain is allowed only with a domain grant for that domain', () => {
      fc.assert(
        fc.property(principal, fc.constantFrom('catalog.apply', 'features.ingest', 'features.push'), domain, (p, a, d) => {
          const roles = p.roles.filter((g) => g.role !== 'admin');
          const allowed = authorize({ ...p, roles }, a, productIn(d)).allow;
          const hasGrant = roles.some((g) => g.domain === d && (g.role === 'domain_owner' || g.role === 'domain_member'));
          return allowed === hasGrant;
        }),
      );
    });

    it('without admin, writing a model is allowed only with a grant allowing it in every domain the model touches', () => {
      fc.assert(
        fc.property(principal, fc.constantFrom<Action>('models.register', 'models.deploy'), fc.uniqueArray(domain, { minLength: 1, maxLength: 2 }), (p, a, ds) => {
          const roles = p.roles.filter((g) => g.role !== 'admin');
          const allowed = authorize({ ...p, roles }, a, { type: 'model', name: 'm', domains: ds }).allow;
          const roleFor = (d: string) => roles.some((g) => g.domain === d && (g.role === 'domain_owner' || (a === 'models.register' && g.role === 'domain_member')));
          return allowed === ds.every(roleFor);
        }),
      );
    });

    it('policies.withdraw is allowed exactly to principals holding governance_lead or admin', () => {
      fc.assert(fc.property(principal, (p) => authorize(p, 'policies.withdraw', MESH).allow === p.roles.some((g) => g.role === 'admin' || g.role === 'governance_lead')));
    });

    it('reads of the catalog are allowed to every role and denied without one', () => {
      fc.assert(fc.property(principal, (p) => authorize(p, 'catalog.read', MESH).allow === p.roles.length > 0));
    });
  });
});
