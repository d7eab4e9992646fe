import ElkApi from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { ELK as ElkInstance, ElkNode } from 'elkjs/lib/elk-api';
import { Position, type Edge, type Node } from '@xyflow/react';
import { labelLines, WORKER_THRESHOLD, type GraphEdge, type GraphNode } from './lineage-model';

export type { GraphEdge, GraphNode } from './lineage-model';

const WIDTH = 190;
// The box of React Flow's default node (padding 10, border 1, 12 px text), with a fixed line height
// so that a label's height is known before it is rendered: elkjs must place boxes of their real size.
const FONT_PX = 12;
const LINE_PX = 16;
const FRAME_PX = 2 * 10 + 2 * 1;
// Wrapping is estimated a few pixels narrower than the browser wraps, so the estimate errs towards a line more.
const TEXT_WIDTH = WIDTH - FRAME_PX - 6;
const MIN_HEIGHT = 48;

let canvas: CanvasRenderingContext2D | null | undefined;
function measure(text: string): number {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * FONT_PX * 0.7; // no canvas: a wide estimate
  canvas.font = `${FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  return canvas.measureText(text).width;
}

const heightOf = (label: string): number => Math.max(MIN_HEIGHT, FRAME_PX + LINE_PX * labelLines(label, TEXT_WIDTH, measure));

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
  const heights = new Map(nodes.map((n) => [n.id, heightOf(n.label)]));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.layered.spacing.nodeNodeBetweenLayers': '60', 'elk.spacing.nodeNode': '24' },
    children: nodes.map((n) => ({ id: n.id, width: WIDTH, height: heights.get(n.id) })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const laid = await elk.layout(graph);
  const position = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      position: position.get(n.id) ?? { x: 0, y: 0 },
      // Edges leave on the right and enter on the left, as the layout runs (the default node's top/bottom handles made them loop).
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      data: { label: n.label, kind: n.kind, href: n.href },
      // Label centred in its box (the handles are positioned absolutely and stay on the edges).
      style: { width: WIDTH, height: heights.get(n.id), fontSize: FONT_PX, lineHeight: `${LINE_PX}px`, overflowWrap: 'anywhere', display: 'flex', alignItems: 'center', justifyContent: 'center' },
    })),
    edges: edges.map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to })),
    inWorker: nodes.length >= WORKER_THRESHOLD,
  };
}
