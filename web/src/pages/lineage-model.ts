/**
 * The lineage graph as data, and what the page's controls do to it (collapse by domain, find a
 * node). Pure, without React or elkjs: test/unit/portal-lineage-model.spec.ts runs it.
 */
export interface GraphNode {
  id: string;
  label: string;
  kind: 'product' | 'external' | 'featureView' | 'model' | 'domain';
  href?: string;
  /** Owning domain; feature views and models take their source product's. */
  domain?: string | null;
}
export interface GraphEdge {
  from: string;
  to: string;
}
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Nodes with this many or more are laid out in a Web Worker, off the main thread. */
export const WORKER_THRESHOLD = 200;

/**
 * One node per domain (its products, feature views and models folded in; nodes without a domain
 * stay as they are), edges between distinct groups once each, self-loops dropped.
 */
export function collapseByDomain(g: Graph): Graph {
  const groupOf = (n: GraphNode): string => (n.domain ? `domain:${n.domain}` : n.id);
  const group = new Map(g.nodes.map((n) => [n.id, groupOf(n)]));
  const nodes = new Map<string, GraphNode>();
  for (const n of g.nodes) {
    const id = groupOf(n);
    if (nodes.has(id)) continue;
    const members = g.nodes.filter((m) => groupOf(m) === id).length;
    nodes.set(id, n.domain ? { id, label: `domain ${n.domain} (${members})`, kind: 'domain', domain: n.domain } : n);
  }
  const edges = new Map<string, GraphEdge>();
  for (const e of g.edges) {
    const from = group.get(e.from);
    const to = group.get(e.to);
    if (!from || !to || from === to) continue;
    edges.set(`${from}\u0000${to}`, { from, to });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Nodes whose label or id contains `text` (case-insensitive), best first: label starts with it, then shorter labels. */
export function findNodes(g: Graph, text: string): GraphNode[] {
  const q = text.trim().toLowerCase();
  if (q === '') return [];
  return g.nodes
    .filter((n) => n.label.toLowerCase().includes(q) || n.id.toLowerCase().includes(q))
    .sort((a, b) => Number(!a.label.toLowerCase().startsWith(q)) - Number(!b.label.toLowerCase().startsWith(q)) || a.label.length - b.label.length || a.label.localeCompare(b.label));
}

/**
 * Lines `label` takes in a box `width` pixels wide, wrapped as CSS wraps it with
 * `overflow-wrap: anywhere`: at spaces, and inside a word only when the word alone is wider than a
 * line. `measure` gives a string's width in pixels (canvas measureText in the page). The layout
 * gives each node the height of its label, so long names neither spill out nor overlap a neighbour.
 */
export function labelLines(label: string, width: number, measure: (text: string) => number): number {
  let lines = 1;
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines++;
    // A word wider than a line breaks between characters.
    line = '';
    for (const ch of word) {
      if (line && measure(line + ch) > width) {
        lines++;
        line = '';
      }
      line += ch;
    }
  }
  return lines;
}
