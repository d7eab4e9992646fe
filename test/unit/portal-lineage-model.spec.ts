import fc from 'fast-check';
import { collapseByDomain, findNodes, labelLines, type Graph, type GraphNode } from '../../web/src/pages/lineage-model';

/**
 * The lineage page's graph input (web/src/pages/lineage-model.ts): collapsing by domain and finding
 * a node, against a direct reference (reachability between domains) on random graphs.
 */
const graphs: fc.Arbitrary<Graph> = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.array(fc.constantFrom('rides', 'payments', 'risk', null), { minLength: 30, maxLength: 30 })).chain(([n, domains]) => {
  const nodes: GraphNode[] = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, label: `product ${i}`, kind: 'product', domain: domains[i] }));
  return fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }).map((pairs) => ({ nodes, edges: pairs.map(([a, b]) => ({ from: `p${a}`, to: `p${b}` })) }));
});

describe('lineage graph input', () => {
  it('collapses by domain: one node per domain, an edge between two groups exactly when some member edge joins them', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const c = collapseByDomain(g);
        const group = (n: GraphNode) => (n.domain ? `domain:${n.domain}` : n.id);
        expect(new Set(c.nodes.map((n) => n.id))).toEqual(new Set(g.nodes.map(group)));
        expect(c.nodes.length).toBe(new Set(c.nodes.map((n) => n.id)).size);
        const byId = new Map(g.nodes.map((n) => [n.id, group(n)]));
        const expected = new Set(
          g.edges
            .map((e) => [byId.get(e.from)!, byId.get(e.to)!])
            .filter(([a, b]) => a !== b)
            .map(([a, b]) => `${a}>${b}`),
        );
        expect(new Set(c.edges.map((e) => `${e.from}>${e.to}`))).toEqual(expected);
        expect(c.edges.length).toBe(expected.size);
        for (const n of c.nodes.filter((x) => x.kind === 'domain')) {
          expect(n.label).toBe(`domain ${n.domain} (${g.nodes.filter((m) => m.domain === n.domain).length})`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds nodes by label or id, case-insensitively, prefix matches first', () => {
    const g: Graph = {
      nodes: [
        { id: 'fv:driver_hourly_stats', label: 'feature view driver_hourly_stats', kind: 'featureView' },
        { id: 'rides-drivers', label: 'Rides drivers', kind: 'product' },
        { id: 'model:driver_risk', label: 'model driver_risk', kind: 'model' },
      ],
      edges: [],
    };
    expect(findNodes(g, 'DRIVER').map((n) => n.id)).toEqual(['rides-drivers', 'model:driver_risk', 'fv:driver_hourly_stats']);
    expect(findNodes(g, 'rides').map((n) => n.id)).toEqual(['rides-drivers']);
    expect(findNodes(g, 'fv:').map((n) => n.id)).toEqual(['fv:driver_hourly_stats']);
    expect(findNodes(g, '  ')).toEqual([]);
    expect(findNodes(g, 'nothing')).toEqual([]);
  });
});

describe('lineage node label wrapping (the height elkjs lays out)', () => {
  // A monospace stand-in for canvas measureText: 10 px per character.
  const mono = (s: string) => s.length * 10;

  it('wraps at spaces, and inside a word only when the word is wider than a line', () => {
    expect(labelLines('short', 100, mono)).toBe(1);
    expect(labelLines('aaaa bbbb', 100, mono)).toBe(1); // 9 characters: 90 px
    expect(labelLines('aaaa bbbb cc', 100, mono)).toBe(2);
    expect(labelLines('a'.repeat(25), 100, mono)).toBe(3); // 10 + 10 + 5
    expect(labelLines(`xx ${'a'.repeat(12)}`, 100, mono)).toBe(3); // "xx" | 10 a | 2 a
    expect(labelLines('', 100, mono)).toBe(1);
  });

  it('never puts more on a line than fits, and never fewer lines than the text needs', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z_]{1,30}$/), { minLength: 1, maxLength: 12 }), fc.integer({ min: 40, max: 300 }), (words, width) => {
        const label = words.join(' ');
        const lines = labelLines(label, width, mono);
        // Lower bound: the characters alone need this many full lines.
        expect(lines).toBeGreaterThanOrEqual(Math.ceil(mono(words.join('')) / (Math.floor(width / 10) * 10)));
        // Upper bound: each word starts at most one line and breaks into at most ceil(len/perLine) pieces.
        const perLine = Math.floor(width / 10);
        expect(lines).toBeLessThanOrEqual(words.reduce((n, w) => n + Math.ceil(w.length / perLine), 0));
      }),
      { numRuns: 300 },
    );
  });
});
