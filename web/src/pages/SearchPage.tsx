import { Anchor, Badge, Card, Chip, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { graphql } from '../gql';
import type { DataProductStatus, DataProductType, SearchMatchField } from '../gql/graphql';
import { useQuery } from '../lib/use-query';
import { Failure } from './Failure';

const SearchQuery = graphql(`
  query Search($search: String, $domain: String, $status: DataProductStatus, $type: DataProductType, $tags: [String!]) {
    dataProducts(search: $search, domain: $domain, status: $status, type: $type, tags: $tags, first: 50) {
      totalCount
      facets {
        domains {
          value
          count
        }
        statuses {
          value
          count
        }
        types {
          value
          count
        }
        tags {
          value
          count
        }
      }
      edges {
        rank
        matches {
          field
          value
          term
        }
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
  }
`);

const STATUSES: DataProductStatus[] = ['active', 'deprecated', 'draft', 'proposed', 'retired'];
const TYPES: DataProductType[] = ['aggregate', 'consumerAligned', 'sourceAligned'];

const FIELD_LABELS: Record<SearchMatchField, string> = {
  name: 'name',
  description: 'description',
  domain: 'domain',
  tag: 'tag',
  glossaryTerm: 'glossary term',
  glossarySynonym: 'glossary synonym',
  fieldName: 'contract field',
  fieldDescription: 'contract field description',
};

type Match = { field: SearchMatchField; value: string; term?: string | null };

/** One line per part of the product that holds a search word; long texts (descriptions) are not repeated. */
function describeMatch(m: Match): string {
  if (m.field === 'glossarySynonym') return `glossary: “${m.value}” is a synonym of ${m.term ?? '?'}`;
  if (m.field === 'description') return 'its description';
  if (m.field === 'fieldDescription') return `the description of contract field ${m.value}`;
  return `${FIELD_LABELS[m.field]} “${m.value}”`;
}

/** Select options keeping every value, each with how many results it has under the current filters. */
function withCounts(values: string[], counts: { value: string; count: number }[] | undefined): { value: string; label: string }[] {
  const byValue = new Map((counts ?? []).map((c) => [c.value, c.count]));
  return values.map((v) => ({ value: v, label: counts ? `${v} (${byValue.get(v) ?? 0})` : v }));
}

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search] = useDebouncedValue(q.trim(), 250);
  const tags = params.getAll('tag');
  const set = (key: string, value: string | string[] | null) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    for (const v of Array.isArray(value) ? value : value ? [value] : []) next.append(key, v);
    setParams(next, { replace: true });
  };
  const { data, error } = useQuery(SearchQuery, {
    search: search || null,
    domain: params.get('domain'),
    status: (params.get('status') as DataProductStatus | null) ?? null,
    type: (params.get('type') as DataProductType | null) ?? null,
    tags: tags.length > 0 ? tags : null,
  });
  const facets = data?.dataProducts.facets;
  // Selected tags stay offered even when the current filters leave none of them (count 0).
  const tagOptions = [...(facets?.tags ?? []), ...tags.filter((t) => !facets?.tags.some((f) => f.value === t)).map((value) => ({ value, count: 0 }))];
  return (
    <Stack>
      <Title order={2}>Search</Title>
      <TextInput label="Search data products" value={q} onChange={(e) => set('q', e.currentTarget.value)} autoFocus />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select label="Domain" clearable data={withCounts(data?.domains.map((d) => d.name) ?? [], facets?.domains)} value={params.get('domain')} onChange={(v) => set('domain', v)} />
        <Select label="Status" clearable data={withCounts(STATUSES, facets?.statuses)} value={params.get('status')} onChange={(v) => set('status', v)} />
        <Select label="Type" clearable data={withCounts(TYPES, facets?.types)} value={params.get('type')} onChange={(v) => set('type', v)} />
      </SimpleGrid>
      <div role="group" aria-label="Tags">
        <Text size="sm" fw={500} mb={4}>
          Tags
        </Text>
        <Chip.Group multiple value={tags} onChange={(v) => set('tag', v)}>
          <Group gap={6}>
            {tagOptions.map((f) => (
              <Chip key={f.value} value={f.value} size="xs">
                {`${f.value} (${f.count})`}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </div>
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
                {search && ` · rank ${e.rank.toFixed(3)}`}
              </Text>
              {e.matches.length > 0 && (
                <Text size="xs" data-testid="matched">
                  Matched: {e.matches.map(describeMatch).join(' · ')}
                </Text>
              )}
            </Card>
          </li>
        ))}
      </ol>
    </Stack>
  );
}
