import { PolicyActivationSchedule } from '../../src/governance/policies/policy-activation.schedule';
import { startTestApp, TestApp } from '../support/test-app';

/** The review workflow over GraphQL, each governance member calling with their own API key. */
const POLICY = (name: string, extra = ''): string => `
apiVersion: tessera/v1
kind: Policy
name: ${name}
title: Output ports state a retention
category: compliance
severity: warning
context: Auditors ask how long each port keeps data.
decision: Every output port contract declares a retention SLA property.
consequences: Owners add retention to their contracts.
rule: ports.filter(p, p.hasContract && !('retention' in p.contract.sla)).map(p, p.path)
message: the port's contract declares no retention
${extra}`;

const FIELDS = 'id name revision status statusReason proposedBy effectiveFrom activatedAt votes { voter domain vote comment } tally { quorum approvingDomains outcome reason }';

describe('policy review workflow (GraphQL)', () => {
  let t: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ TESSERA_POLICY_QUORUM: '2' });
    const members: [string, { role: string; domain?: string }[]][] = [
      ['gina', [{ role: 'governance_member', domain: 'rides' }]],
      ['pablo', [{ role: 'governance_member', domain: 'payments' }]],
      ['paula', [{ role: 'governance_member', domain: 'payments' }]],
      ['rita', [{ role: 'governance_member', domain: 'risk' }]],
      ['cora', [{ role: 'consumer' }]],
      ['lena', [{ role: 'governance_lead' }]],
      ['dora', [{ role: 'domain_owner', domain: 'rides' }]],
    ];
    for (const [name, roles] of members) {
      const r = await t.gql<{ createApiKey: { key: string } }>(`mutation($p: PrincipalInput!, $r: [RoleGrantInput!]) { createApiKey(principal: $p, roles: $r) { key } }`, {
        p: { id: `person:${name}`, kind: 'person' },
        r: roles,
      });
      expect(r.errors).toBeUndefined();
      keys[name] = r.data!.createApiKey.key;
    }
  });
  afterAll(() => t.close());

  const as = (who: string) => t.as(keys[who]);
  const propose = (who: string, doc: string) =>
    as(who).gql<{ proposePolicy: { id: string; status: string; proposedBy: string } }>(`mutation($d: String!) { proposePolicy(document: $d) { id status proposedBy } }`, { d: doc });
  const submit = (who: string, id: string) => as(who).gql<{ submitPolicyForReview: { status: string } }>(`mutation($id: ID!) { submitPolicyForReview(id: $id) { status } }`, { id });
  const vote = (who: string, id: string, v: string, comment = 'looks right') =>
    as(who).gql<{ votePolicy: { status: string; statusReason: string | null } }>(`mutation($id: ID!, $v: VoteChoice!, $c: String!) { votePolicy(id: $id, vote: $v, comment: $c) { status statusReason } }`, {
      id,
      v,
      c: comment,
    });
  const get = (id: string) => as('cora').gql<{ policy: Record<string, unknown> & { votes: unknown[] } }>(`query($id: ID!) { policy(id: $id) { ${FIELDS} } }`, { id });
  const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

  it('propose → review → consent of two domains → active, with the vote history', async () => {
    const p = await propose('gina', POLICY('retention-declared'));
    expect(p.errors).toBeUndefined();
    expect(p.data!.proposePolicy).toEqual({ id: 'retention-declared@1', status: 'draft', proposedBy: 'person:gina' });

    expect(code(await vote('pablo', 'retention-declared@1', 'approve'))).toBe('CONFLICT'); // not in review yet
    expect((await submit('gina', 'retention-declared@1')).data!.submitPolicyForReview.status).toBe('in_review');

    const own = await vote('gina', 'retention-declared@1', 'approve');
    expect(code(own)).toBe('FORBIDDEN');
    expect(own.errors![0].message).toBe('person:gina proposed retention-declared@1 and cannot approve it; other domains decide');

    const consumer = await vote('cora', 'retention-declared@1', 'approve');
    expect(code(consumer)).toBe('FORBIDDEN');

    expect((await vote('pablo', 'retention-declared@1', 'approve', 'payments agrees')).data!.votePolicy.status).toBe('in_review');
    // A second member of the same domain does not make a quorum of domains.
    expect((await vote('paula', 'retention-declared@1', 'approve', 'me too')).data!.votePolicy.status).toBe('in_review');
    const decided = await vote('rita', 'retention-declared@1', 'approve', 'risk agrees');
    expect(decided.data!.votePolicy.status).toBe('active'); // approved with no effectiveFrom: in force at once

    const got = await get('retention-declared@1');
    expect(got.data!.policy).toMatchObject({
      status: 'active',
      tally: { quorum: 2, approvingDomains: ['payments', 'risk'], outcome: 'approved' },
      votes: [
        { voter: 'person:pablo', domain: 'payments', vote: 'approve', comment: 'payments agrees' },
        { voter: 'person:paula', domain: 'payments', vote: 'approve', comment: 'me too' },
        { voter: 'person:rita', domain: 'risk', vote: 'approve', comment: 'risk agrees' },
      ],
    });
    expect(got.data!.policy.activatedAt).not.toBeNull();
    const active = await as('cora').gql<{ policies: { id: string }[] }>(`{ policies(status: active) { id } }`);
    expect(active.data!.policies.map((x) => x.id)).toContain('retention-declared@1');
  });

  it('a single block rejects the policy, with the blocker named', async () => {
    await propose('pablo', POLICY('blocked-one'));
    await submit('pablo', 'blocked-one@1');
    await vote('gina', 'blocked-one@1', 'approve');
    const r = await vote('rita', 'blocked-one@1', 'block', 'our model ports have no retention concept');
    expect(r.data!.votePolicy).toEqual({ status: 'rejected', statusReason: 'blocked by person:rita (risk): our model ports have no retention concept' });
    expect(code(await vote('paula', 'blocked-one@1', 'approve'))).toBe('CONFLICT');
  });

  it('an approved policy waits for its effectiveFrom, then the activation schedule (not a read) makes it active; a new revision supersedes the old', async () => {
    await propose('gina', POLICY('retention-declared', `effectiveFrom: '2099-01-01T00:00:00Z'`));
    const revs = await as('cora').gql<{ policies: { id: string; status: string }[] }>(`{ policies { id status } }`);
    expect(revs.data!.policies.filter((p) => p.id.startsWith('retention-declared@'))).toEqual([
      { id: 'retention-declared@1', status: 'active' },
      { id: 'retention-declared@2', status: 'draft' },
    ]);
    await submit('gina', 'retention-declared@2');
    await vote('pablo', 'retention-declared@2', 'approve');
    expect((await vote('rita', 'retention-declared@2', 'approve')).data!.votePolicy.status).toBe('approved');
    // Time passes: move the date instead of waiting.
    await t.dataSource.query(`UPDATE tessera.policies SET effective_from = now() - interval '1 second' WHERE id = 'retention-declared@2'`);
    // Reads never write: the due policy stays approved however often it is read...
    const statuses = async () => await t.dataSource.query<{ id: string; status: string }[]>(`SELECT id, status FROM tessera.policies WHERE name = 'retention-declared' ORDER BY revision`);
    for (const q of ['{ policies { id } }', '{ policy(id: "retention-declared@2") { id } }', '{ complianceScorecard { policies { policyId } } }']) expect((await as('cora').gql(q)).errors).toBeUndefined();
    expect(await statuses()).toEqual([
      { id: 'retention-declared@1', status: 'active' },
      { id: 'retention-declared@2', status: 'approved' },
    ]);
    // ...until the schedule's next pass (every few seconds; run one now instead of waiting).
    expect(await t.app.get(PolicyActivationSchedule).tick()).toBe(1);
    const after = await as('cora').gql<{ policies: { id: string; status: string; statusReason: string | null }[] }>(`{ policies { id status statusReason } }`);
    const byId = Object.fromEntries(after.data!.policies.map((p) => [p.id, p]));
    expect(byId['retention-declared@2'].status).toBe('active');
    expect(byId['retention-declared@1']).toMatchObject({ status: 'superseded', statusReason: 'superseded by retention-declared@2' });
  });

  it('withdrawal needs policies.withdraw: governance members, domain owners and consumers get 403 and change nothing; a governance lead withdraws', async () => {
    const withdraw = (who: string) =>
      as(who).gql<{ deprecatePolicy: { status: string; statusReason: string } }>(
        `mutation { deprecatePolicy(id: "retention-declared@2", reason: "replaced by the data retention standard") { status statusReason } }`,
      );
    for (const who of ['rita', 'gina', 'dora', 'cora']) {
      const refused = await withdraw(who);
      expect([who, code(refused), refused.errors?.[0].message]).toEqual([who, 'FORBIDDEN', `forbidden: person:${who} has no role allowing policies.withdraw`]);
    }
    expect((await get('retention-declared@2')).data!.policy.status).toBe('active');
    const denials = await t.dataSource.query<{ principal_id: string; outcome: string }[]>(`SELECT principal_id, outcome FROM tessera.audit_log WHERE action = 'policies.withdraw' ORDER BY seq`);
    expect(denials).toEqual(['rita', 'gina', 'dora', 'cora'].map((w) => ({ principal_id: `person:${w}`, outcome: 'denied' })));

    const d = await withdraw('lena');
    expect(d.errors).toBeUndefined();
    expect(d.data!.deprecatePolicy).toEqual({ status: 'deprecated', statusReason: 'deprecated by person:lena: replaced by the data retention standard' });
    const allowed = await t.dataSource.query<unknown[]>(`SELECT principal_id, outcome, resource FROM tessera.audit_log WHERE action = 'policies.withdraw' AND outcome = 'allowed'`);
    expect(allowed).toEqual([{ principal_id: 'person:lena', outcome: 'allowed', resource: 'mesh' }]);
    // A lead is no voter (votes are cast for a domain) and a withdrawn policy cannot be withdrawn again.
    expect(code(await vote('lena', 'retention-declared@2', 'approve'))).toBe('FORBIDDEN');
    expect(code(await withdraw('lena'))).toBe('CONFLICT');
    expect(code(await propose('cora', POLICY('nope')))).toBe('FORBIDDEN');
  });

  it('admin withdraws too', async () => {
    expect((await propose('gina', POLICY('admin-withdrawn'))).errors).toBeUndefined();
    await submit('gina', 'admin-withdrawn@1');
    await vote('pablo', 'admin-withdrawn@1', 'approve');
    expect((await vote('rita', 'admin-withdrawn@1', 'approve')).data!.votePolicy.status).toBe('active');
    const d = await t.gql<{ deprecatePolicy: { status: string; statusReason: string } }>(`mutation { deprecatePolicy(id: "admin-withdrawn@1", reason: "trial over") { status statusReason } }`);
    expect(d.data!.deprecatePolicy).toEqual({ status: 'deprecated', statusReason: 'deprecated by admin: trial over' });
  });

  it('a rule that does not compile is refused with CEL’s message on `rule`', async () => {
    const r = await propose('gina', POLICY('broken').replace(/^rule: .*$/m, 'rule: "ports.filter(p, "'));
    expect(code(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.details).toEqual([{ field: 'rule', reason: expect.stringMatching(/^does not compile as CEL: /) }]);
  });

  it('a Policy document arriving through apply starts as a draft; a broken rule is an apply error naming file and field', async () => {
    const applyFiles = async (content: string) =>
      (await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: [{ path: 'contracts/policies/retention.yaml', content }], dryRun: false } })).json();
    const first = await applyFiles(POLICY('applied-retention'));
    expect(first.changes).toEqual([expect.objectContaining({ kind: 'Policy', id: 'applied-retention@1', version: '1', action: 'created' })]);
    expect((await get('applied-retention@1')).data!.policy).toMatchObject({ status: 'draft' });
    expect((await applyFiles(POLICY('applied-retention'))).changes).toEqual([expect.objectContaining({ id: 'applied-retention@1', action: 'unchanged' })]);
    const broken = await applyFiles(POLICY('applied-retention').replace(/^rule: .*$/m, 'rule: "size(ports) >"'));
    const errors = (broken.error?.details ?? broken).errors;
    expect(errors).toEqual([expect.objectContaining({ file: 'contracts/policies/retention.yaml', path: 'rule', message: expect.stringMatching(/^does not compile as CEL: /) })]);
  });

  it('votes are append-only in the database too', async () => {
    await expect(t.dataSource.query(`DELETE FROM tessera.policy_votes`)).rejects.toThrow(/append-only/);
  });
});
