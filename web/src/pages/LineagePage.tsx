import '@xyflow/react/dist/style.css';
import { Anchor, Badge, Checkbox, Group, List, NumberInput, SegmentedControl, Stack, Text, TextInput, Title, useComputedColorScheme } from '@mantine/core';
import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { graphql } from '../gql';
import { useQuery } from '../lib/use-query';
import { Failure } from './Failure';
import { layout } from './lineage-graph';
import { collapseByDomain, findNodes, type GraphEdge, type GraphNode } from './lineage-model';

/** Above this many nodes the whole graph fits only at an unreadable zoom: the view opens on the root at full size, with a minimap. */
const LARGE = 60;
import type { LineageDirection } from '../gql/graphql';

const LineageQuery = graphql(`
  query LineagePage($id: String!, $depth: Int!, $direction: LineageDirection!) {
    lineage(id: $id, depth: $depth, direction: $direction) {
      nodes {
        id
        name
        kind
        domain
        distance
      }
      edges {
        from
        to
      }
    }
    registryObjects {
      kind
      name
      spec
    }
    models {
      name
      version
      featureService
      domain
    }
  }
`);

type Registry = { kind: string; name: string; spec: unknown }[];

/** Feature views over the products shown, and the models whose feature service reads them. */
function featureStoreNodes(
  products: Map<string, string | null | undefined>,
  registry: Registry,
  models: { name: string; featureService: string; domain?: string | null }[],
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const views = registry.filter((o) => o.kind === 'FeatureView' && products.has((o.spec as { source?: { dataProduct?: string } }).source?.dataProduct ?? ''));
  for (const v of views) {
    const source = (v.spec as { source: { dataProduct: string } }).source.dataProduct;
    nodes.push({ id: `fv:${v.name}`, label: `feature view ${v.name}`, kind: 'featureView', href: `/features/${encodeURIComponent(v.name)}`, domain: products.get(source) });
    edges.push({ from: (v.spec as { source: { dataProduct: string } }).source.dataProduct, to: `fv:${v.name}` });
  }
  const services = new Map(registry.filter((o) => o.kind === 'FeatureService').map((s) => [s.name, ((s.spec as { features?: unknown[] }).features ?? []).map(String)]));
  for (const m of new Map(models.map((m) => [m.name, m])).values()) {
    const refs = services.get(m.featureService) ?? [];
    const read = views.filter((v) => refs.some((r) => r.startsWith(`${v.name}:`)));
    if (read.length === 0) continue;
    nodes.push({ id: `model:${m.name}`, label: `model ${m.name}`, kind: 'model', href: `/models/${encodeURIComponent(m.name)}`, domain: m.domain });
    for (const v of read) edges.push({ from: `fv:${v.name}`, to: `model:${m.name}` });
  }
  return { nodes, edges };
}

export default function LineagePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const scheme = useComputedColorScheme('light');
  const [depth, setDepth] = useState<number | string>(3);
  const [direction, setDirection] = useState<LineageDirection>('BOTH' as LineageDirection);
  const [collapsed, setCollapsed] = useState(false);
  const [find, setFind] = useState('');
  const [flow, setFlow] = useState<ReactFlowInstance>();
  const depthValue = Math.min(6, Math.max(1, Number(depth) || 1));
  const { data, error } = useQuery(LineageQuery, { id, depth: depthValue, direction });
  const full = useMemo(() => {
    if (!data) return undefined;
    const products: GraphNode[] = data.lineage.nodes.map((n) => ({
      id: n.id,
      label: n.name,
      kind: n.kind === 'PRODUCT' ? 'product' : 'external',
      href: n.kind === 'PRODUCT' ? `/products/${encodeURIComponent(n.id)}` : undefined,
      domain: n.domain,
    }));
    // Feature views and models read products: they are downstream, so an upstream view leaves them out.
    const fs = direction === 'UPSTREAM' ? { nodes: [], edges: [] } : featureStoreNodes(new Map(products.map((p) => [p.id, p.domain])), data.registryObjects, data.models);
    return { nodes: [...products, ...fs.nodes], edges: [...data.lineage.edges.map((e) => ({ from: e.from, to: e.to })), ...fs.edges] };
  }, [data, direction]);
  const graph = useMemo(() => (full && collapsed ? collapseByDomain(full) : full), [full, collapsed]);
  const found = useMemo(() => (graph ? findNodes(graph, find) : []), [graph, find]);
  const [laid, setLaid] = useState<{ nodes: Node[]; edges: Edge[]; inWorker: boolean; ms: number; serial: number }>();
  useEffect(() => {
    if (!graph) return;
    // Only the layout of the graph shown wins: a 200-node layout in the worker may end after the
    // layout of the smaller graph that replaced it (collapse, depth) and must not overwrite it.
    let current = true;
    const started = performance.now();
    void layout(graph.nodes, graph.edges).then((l) => current && setLaid((prev) => ({ ...l, ms: Math.round(performance.now() - started), serial: (prev?.serial ?? 0) + 1 })));
    return () => {
      current = false;
    };
  }, [graph]);
  const large = (laid?.nodes.length ?? 0) > LARGE && laid?.nodes.some((n) => n.id === id);
  // The first match is selected and brought into view.
  const target = found[0]?.id;
  const shown = useMemo(() => laid?.nodes.map((n) => ({ ...n, selected: n.id === target })), [laid, target]);
  useEffect(() => {
    if (flow && target) void flow.fitView({ nodes: [{ id: target }], maxZoom: 1.2, duration: 200 });
  }, [flow, target]);
  if (error) return <Failure error={error} />;
  return (
    <Stack>
      <Title order={2}>Lineage of {id}</Title>
      <Group align="end" gap="md" wrap="wrap">
        <NumberInput label="Depth" min={1} max={6} w={90} value={depth} onChange={setDepth} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="lineage-direction">
            Direction
          </Text>
          <SegmentedControl
            aria-labelledby="lineage-direction"
            value={direction}
            onChange={setDirection}
            data={[
              { value: 'UPSTREAM', label: 'Upstream' },
              { value: 'BOTH', label: 'Both' },
              { value: 'DOWNSTREAM', label: 'Downstream' },
            ]}
          />
        </Stack>
        <Checkbox label="Collapse by domain" checked={collapsed} onChange={(e) => setCollapsed(e.currentTarget.checked)} mb={8} />
        <TextInput label="Find a node" value={find} onChange={(e) => setFind(e.currentTarget.value)} w={220} />
      </Group>
      <Text size="sm" role="status">
        {graph ? `${graph.nodes.length} nodes, ${graph.edges.length} edges${laid?.inWorker ? ' (laid out in a worker)' : ''}` : 'Loading…'}
        {find.trim() && (found.length ? `; found ${found.map((n) => n.label).join(', ')}` : '; no node matches')}
      </Text>
      {/* data-layout tells where elkjs ran (worker or main thread) and how long it took, for tests and people. */}
      <div
        style={{ height: large ? 'max(420px, 70vh)' : 420, border: '1px solid var(--mantine-color-default-border)' }}
        role="region"
        aria-label="Lineage graph"
        data-layout={laid ? (laid.inWorker ? 'worker' : 'main') : undefined}
        data-layout-ms={laid?.ms}
        data-layout-nodes={laid?.nodes.length}
      >
        {laid && shown && (
          <ReactFlow
            // A new layout is a new graph: mount afresh so that the initial view below applies to it.
            key={laid.serial}
            nodes={shown}
            edges={laid.edges}
            onInit={setFlow}
            colorMode={scheme}
            fitView
            fitViewOptions={large ? { nodes: [{ id }], minZoom: 1, maxZoom: 1 } : { maxZoom: 1.2 }}
            minZoom={0.05}
            nodesConnectable={false}
            onNodeClick={(_e, n) => {
              const href = (n.data as { href?: string }).href;
              if (href) void navigate(href);
            }}
          >
            <Background />
            <Controls />
            {large && <MiniMap pannable zoomable ariaLabel="Lineage overview" />}
          </ReactFlow>
        )}
      </div>
      {/* The same graph as links: what a keyboard or a screen reader follows. */}
      <Title order={3} size="h4">
        Nodes
      </Title>
      <List aria-label="Lineage nodes">
        {graph?.nodes.map((n) => (
          <List.Item key={n.id}>
            <Group gap="xs">
              {n.href ? (
                <Anchor component={Link} to={n.href}>
                  {n.label}
                </Anchor>
              ) : (
                <Text>{n.label}</Text>
              )}
              <Badge variant="light" size="sm">
                {n.kind}
              </Badge>
            </Group>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
