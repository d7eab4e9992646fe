import { Anchor, Badge, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../gql';
import type { DataProductStatus, DataProductType } from '../gql/graphql';
import { useQuery } from '../lib/use-query';
import { Failure } from './Failure';

const SearchQuery = graphql(`
  query Search($search: String, $domain: String, $status: DataProductStatus, $type: DataProductType) {
    dataProducts(search: $search, domain: $domain, status: $status, type: $type, first: 50) {
      totalCount
      edges {
        rank
        node {
          id
          name
          domain
          status
          type
          tags
          description {
            purpose
          }
        }
      }
    }
    domains {
      name
    }
    glossary(search: $search) {
      term
      domain
      synonyms
      products
    }
  }
`);

const STATUSES: DataProductStatus[] = ['active', 'deprecated', 'draft', 'proposed', 'retired'];
const TYPES: DataProductType[] = ['aggregate', 'consumerAligned', 'sourceAligned'];

/** Why a product matched: a glossary term (or one of its synonyms) that names it, else the text itself. */
function whyMatched(productId: string, search: string, glossary: { term: string; synonyms: string[]; products: string[] }[]): string {
  if (!search) return '';
  const term = glossary.find((g) => g.products.includes(productId));
  if (!term) return 'matched its name, description or tags';
  const synonym = term.synonyms.find((s) => s.toLowerCase().includes(search.toLowerCase()));
  return synonym ? `glossary: “${synonym}” is a synonym of ${term.term}` : `glossary term ${term.term}`;
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search] = useDebouncedValue(q.trim(), 250);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const { data, error } = useQuery(SearchQuery, {
    search: search || null,
    domain: params.get('domain'),
    status: (params.get('status') as DataProductStatus | null) ?? null,
    type: (params.get('type') as DataProductType | null) ?? null,
  });
  return (
    <Stack>
      <Title order={2}>Search</Title>
      <TextInput label="Search data products" value={q} onChange={(e) => set('q', e.currentTarget.value)} autoFocus />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select label="Domain" clearable data={data?.domains.map((d) => d.name) ?? []} value={params.get('domain')} onChange={(v) => set('domain', v)} />
        <Select label="Status" clearable data={STATUSES} value={params.get('status')} onChange={(v) => set('status', v)} />
        <Select label="Type" clearable data={TYPES} value={params.get('type')} onChange={(v) => set('type', v)} />
      </SimpleGrid>
      {error && <Failure error={error} />}
      <Text aria-live="polite">{data ? `${data.dataProducts.totalCount} results` : 'Searching…'}</Text>
      <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Results">
        {data?.dataProducts.edges.map((e) => (
          <li key={e.node.id}>
            <Card withBorder mb="sm">
              <Group justify="space-between">
                <Anchor component={Link} to={`/products/${encodeURIComponent(e.node.id)}`} fw={600}>
                  {e.node.name}
                </Anchor>
                <Group gap={4}>
                  <Badge variant="outline">{e.node.domain}</Badge>
                  <Badge variant="light">{e.node.status}</Badge>
                  {e.node.type && <Badge variant="light">{e.node.type}</Badge>}
                </Group>
              </Group>
              <Text size="sm">{e.node.description.purpose}</Text>
              <Text size="xs" c="dimmed">
                {e.node.id}
                {search && ` · rank ${e.rank.toFixed(3)} · ${whyMatched(e.node.id, search, data.glossary)}`}
              </Text>
            </Card>
          </li>
        ))}
      </ol>
    </Stack>
  );
}
