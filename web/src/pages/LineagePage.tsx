import '@xyflow/react/dist/style.css';
import { Anchor, Badge, Group, List, Stack, Text, Title, useComputedColorScheme } from '@mantine/core';
import { Background, Controls, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { graphql } from '../gql';
import { useQuery } from '../lib/use-query';
import { Failure } from './Failure';
import { layout, type GraphEdge, type GraphNode } from './lineage-graph';

const LineageQuery = graphql(`
  query LineagePage($id: String!) {
    lineage(id: $id, depth: 3, direction: BOTH) {
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
    }
  }
`);

type Registry = { kind: string; name: string; spec: unknown }[];

/** Feature views over the products shown, and the models whose feature service reads them. */
function featureStoreNodes(products: Set<string>, registry: Registry, models: { name: string; featureService: string }[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const views = registry.filter((o) => o.kind === 'FeatureView' && products.has((o.spec as { source?: { dataProduct?: string } }).source?.dataProduct ?? ''));
  for (const v of views) {
    nodes.push({ id: `fv:${v.name}`, label: `feature view ${v.name}`, kind: 'featureView', href: `/features/${encodeURIComponent(v.name)}` });
    edges.push({ from: (v.spec as { source: { dataProduct: string } }).source.dataProduct, to: `fv:${v.name}` });
  }
  const services = new Map(registry.filter((o) => o.kind === 'FeatureService').map((s) => [s.name, ((s.spec as { features?: unknown[] }).features ?? []).map(String)]));
  for (const m of new Map(models.map((m) => [m.name, m])).values()) {
    const refs = services.get(m.featureService) ?? [];
    const read = views.filter((v) => refs.some((r) => r.startsWith(`${v.name}:`)));
    if (read.length === 0) continue;
    nodes.push({ id: `model:${m.name}`, label: `model ${m.name}`, kind: 'model', href: `/models/${encodeURIComponent(m.name)}` });
    for (const v of read) edges.push({ from: `fv:${v.name}`, to: `model:${m.name}` });
  }
  return { nodes, edges };
}

export default function LineagePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const scheme = useComputedColorScheme('light');
  const { data, error } = useQuery(LineageQuery, { id });
  const graph = useMemo(() => {
    if (!data) return undefined;
    const products: GraphNode[] = data.lineage.nodes.map((n) => ({
      id: n.id,
      label: n.name,
      kind: n.kind === 'PRODUCT' ? 'product' : 'external',
      href: n.kind === 'PRODUCT' ? `/products/${encodeURIComponent(n.id)}` : undefined,
    }));
    const fs = featureStoreNodes(new Set(products.map((p) => p.id)), data.registryObjects, data.models);
    return { nodes: [...products, ...fs.nodes], edges: [...data.lineage.edges.map((e) => ({ from: e.from, to: e.to })), ...fs.edges] };
  }, [data]);
  const [laid, setLaid] = useState<{ nodes: Node[]; edges: Edge[] }>();
  useEffect(() => {
    if (graph) void layout(graph.nodes, graph.edges).then(setLaid);
  }, [graph]);
  if (error) return <Failure error={error} />;
  return (
    <Stack>
      <Title order={2}>Lineage of {id}</Title>
      <div style={{ height: 420, border: '1px solid var(--mantine-color-default-border)' }} role="region" aria-label="Lineage graph">
        {laid && (
          <ReactFlow
            nodes={laid.nodes}
            edges={laid.edges}
            colorMode={scheme}
            fitView
            nodesConnectable={false}
            onNodeClick={(_e, n) => {
              const href = (n.data as { href?: string }).href;
              if (href) void navigate(href);
            }}
          >
            <Background />
            <Controls />
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
