import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { startTestApp, TestApp } from '../support/test-app';

type Match = { field: string; value: string; term: string | null };
type Facet = { value: string; count: number };
type Answer = {
  dataProducts: {
    totalCount: number;
    facets: { domains: Facet[]; statuses: Facet[]; types: Facet[]; tags: Facet[] };
    edges: { rank: number; matches: Match[]; node: { id: string; domain: string; status: string; type: string | null; tags: string[] } }[];
  };
};

const QUERY = `query($search: String, $tags: [String!], $domain: String) {
  dataProducts(search: $search, tags: $tags, domain: $domain, first: 30) {
    totalCount
    facets { domains { value count } statuses { value count } types { value count } tags { value count } }
    edges { rank matches { field value term } node { id domain status type tags } }
  }
}`;

/** The reference: counts taken from the products themselves, independently of the server's SQL. */
function countBy(values: (string | null)[]): Facet[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * Search over the example mesh (contracts/) on real PostgreSQL: each result says why it matched (the
 * field, the text it holds, the glossary term of a synonym), and the facet counts cover the whole
 * filtered set.
 */
describe('search explains its matches and counts facets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: readContractDirectory('contracts') } });
    expect(applied.statusCode).toBe(200);
  }, 120_000);
  afterAll(() => t?.close());

  async function search(vars: { search?: string; tags?: string[]; domain?: string }): Promise<Answer['dataProducts']> {
    const r = await t.gql<Answer>(QUERY, vars);
    expect(r.errors).toBeUndefined();
    return r.data!.dataProducts;
  }

  it('a glossary synonym: "completion rate" names rides-driver-stats through the term Conversion rate', async () => {
    const r = await search({ search: 'completion rate' });
    expect(r.edges.map((e) => e.node.id)).toEqual(['rides-driver-stats']);
    expect(r.edges[0].matches).toContainEqual({ field: 'glossarySynonym', value: 'completion rate', term: 'Conversion rate' });
  });

  it('a contract field name: conv_rate is found as a field of an output port contract', async () => {
    const r = await search({ search: 'conv_rate' });
    const stats = r.edges.find((e) => e.node.id === 'rides-driver-stats');
    expect(stats?.matches).toContainEqual({ field: 'fieldName', value: 'conv_rate', term: null });
    // Not from its name: the product's name does not contain the word.
    expect(stats?.matches.map((m) => m.field)).not.toContain('name');
  });

  it('a tag: "pii" matches the tag of exactly the products carrying it, and no product without it says tag', async () => {
    const r = await search({ search: 'pii' });
    const tagged = r.edges.filter((e) => e.matches.some((m) => m.field === 'tag' && m.value === 'pii')).map((e) => e.node.id);
    expect(tagged.sort()).toEqual(['payments-transactions', 'rides-drivers']);
    for (const e of r.edges) {
      for (const m of e.matches.filter((x) => x.field === 'tag')) expect(e.node.tags).toContain(m.value);
    }
  });

  it('a name: "driver statistics" matches the name of rides-driver-stats, ranked first', async () => {
    const r = await search({ search: 'driver statistics' });
    expect(r.edges[0].node.id).toBe('rides-driver-stats');
    expect(r.edges[0].matches).toContainEqual({ field: 'name', value: 'Rides driver statistics', term: null });
    // Ranked order: rank never increases down the list.
    for (let i = 1; i < r.edges.length; i++) expect(r.edges[i].rank).toBeLessThanOrEqual(r.edges[i - 1].rank);
  });

  it('without a search nothing is explained', async () => {
    const r = await search({});
    expect(r.edges.length).toBeGreaterThan(5);
    expect(r.edges.every((e) => e.matches.length === 0)).toBe(true);
  });

  it.each([{}, { search: 'drivers' }, { tags: ['features'] }, { search: 'driver', domain: 'rides' }, { tags: ['pii'] }])('facet counts over the whole filtered set agree with the results: %j', async (vars) => {
    const r = await search(vars);
    expect(r.totalCount).toBe(r.edges.length); // one page holds the example mesh
    const nodes = r.edges.map((e) => e.node);
    expect(r.facets.tags).toEqual(countBy(nodes.flatMap((n) => n.tags)));
    expect(r.facets.domains).toEqual(countBy(nodes.map((n) => n.domain)));
    expect(r.facets.statuses).toEqual(countBy(nodes.map((n) => n.status)));
    expect(r.facets.types).toEqual(countBy(nodes.map((n) => n.type)));
  });

  it('fixed counts: the tag facet of "drivers" and the tags filter narrowing to one tag', async () => {
    const all = await search({});
    expect(all.facets.tags.find((f) => f.value === 'drivers')?.count).toBe(5);
    expect(all.facets.tags.find((f) => f.value === 'pii')?.count).toBe(2);
    const pii = await search({ tags: ['pii'] });
    expect(pii.totalCount).toBe(2);
    expect(pii.facets.tags.find((f) => f.value === 'pii')?.count).toBe(2);
    expect(pii.facets.domains).toEqual([
      { value: 'payments', count: 1 },
      { value: 'rides', count: 1 },
    ]);
  });
});
