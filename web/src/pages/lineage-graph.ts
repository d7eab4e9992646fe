import ElkApi from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { ELK as ElkInstance, ElkNode } from 'elkjs/lib/elk-api';
import type { Edge, Node } from '@xyflow/react';
import { WORKER_THRESHOLD, type GraphEdge, type GraphNode } from './lineage-model';

export type { GraphEdge, GraphNode } from './lineage-model';

const WIDTH = 190;
const HEIGHT = 48;

let inThread: ElkInstance | undefined;
let inWorker: ElkInstance | undefined;

/** elkjs on the main thread for small graphs (no worker start-up), in a Web Worker from 200 nodes on. */
async function elkFor(nodes: number): Promise<ElkInstance> {
  if (nodes >= WORKER_THRESHOLD) {
    inWorker ??= new ElkApi({ workerUrl: elkWorkerUrl, workerFactory: (url?: string) => new Worker(url ?? elkWorkerUrl) });
    return inWorker;
  }
  if (!inThread) {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    inThread = new ELK();
  }
  return inThread;
}

/** Left-to-right layered layout (upstream on the left) by elkjs, as React Flow nodes and edges. */
export async function layout(nodes: GraphNode[], edges: GraphEdge[]): Promise<{ nodes: Node[]; edges: Edge[]; inWorker: boolean }> {
  const elk = await elkFor(nodes.length);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.layered.spacing.nodeNodeBetweenLayers': '60', 'elk.spacing.nodeNode': '24' },
    children: nodes.map((n) => ({ id: n.id, width: WIDTH, height: HEIGHT })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const laid = await elk.layout(graph);
  const position = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return {
    nodes: nodes.map((n) => ({ id: n.id, position: position.get(n.id) ?? { x: 0, y: 0 }, data: { label: n.label, kind: n.kind, href: n.href }, style: { width: WIDTH } })),
    edges: edges.map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to })),
    inWorker: nodes.length >= WORKER_THRESHOLD,
  };
}
