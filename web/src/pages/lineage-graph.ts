import ELK from 'elkjs/lib/elk.bundled.js';
import type { Edge, Node } from '@xyflow/react';

export interface GraphNode {
  id: string;
  label: string;
  kind: 'product' | 'external' | 'featureView' | 'model';
  href?: string;
}
export interface GraphEdge {
  from: string;
  to: string;
}

const elk = new ELK();
const WIDTH = 190;
const HEIGHT = 48;

/** Left-to-right layered layout (upstream on the left) by elkjs, as React Flow nodes and edges. */
export async function layout(nodes: GraphNode[], edges: GraphEdge[]): Promise<{ nodes: Node[]; edges: Edge[] }> {
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.layered.spacing.nodeNodeBetweenLayers': '60', 'elk.spacing.nodeNode': '24' },
    children: nodes.map((n) => ({ id: n.id, width: WIDTH, height: HEIGHT })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const position = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return {
    nodes: nodes.map((n) => ({ id: n.id, position: position.get(n.id) ?? { x: 0, y: 0 }, data: { label: n.label, kind: n.kind, href: n.href }, style: { width: WIDTH } })),
    edges: edges.map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to })),
  };
}
