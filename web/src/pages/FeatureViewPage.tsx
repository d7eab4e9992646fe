import { Anchor, Badge, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { graphql } from '../gql';
import type { OnlineVectorQuery } from '../gql/graphql';
import { ApiError, gql } from '../lib/api';
import { useSession } from '../lib/session';
import { useQuery } from '../lib/use-query';
import { RecentJobs } from './features/jobs-query';
import { freshnessOf, MaterializationJobs } from './features/MaterializationJobs';
import { Failure } from './Failure';

const FeatureViewQuery = graphql(`
  query FeatureView($name: String!) {
    registryObjects(kind: FeatureView, search: $name) {
      name
      spec
      updatedAt
    }
    entities: registryObjects(kind: Entity) {
      name
      spec
    }
    services: registryObjects(kind: FeatureService) {
      name
      spec
    }
    models {
      name
      version
      stage
      featureService
    }
  }
`);

const OnlineVector = graphql(`
  query OnlineVector($entities: JSON!, $features: [String!]!) {
    onlineFeatures(entities: $entities, features: $features) {
      metadata {
        featureNames
      }
      results {
        values
        statuses
        eventTimestamps
      }
    }
  }
`);

interface ViewSpec {
  entities: string[];
  features: (string | { name: string })[];
  source: { dataProduct: string; outputPort: string };
  ttl?: string;
  online?: boolean;
  description?: string;
}
interface JoinKey {
  name: string;
  type: string;
}

const featureName = (f: string | { name: string }): string => (typeof f === 'string' ? f : f.name);

export function FeatureViewPage() {
  const { name = '' } = useParams();
  const { data, error } = useQuery(FeatureViewQuery, { name });
  const { can } = useSession();
  const jobs = useQuery(RecentJobs, { first: 50 }, !can('jobs.read'));
  const [keyValue, setKeyValue] = useState('');
  const [vector, setVector] = useState<OnlineVectorQuery['onlineFeatures']>();
  const [readError, setReadError] = useState<ApiError>();
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const view = data.registryObjects.find((o) => o.name === name);
  if (!view) return <Failure error={new ApiError('NOT_FOUND', `no feature view ${name}`)} />;
  const spec = view.spec as ViewSpec;
  const joinKey = (data.entities.find((e) => e.name === spec.entities[0])?.spec as { joinKeys?: JoinKey[] } | undefined)?.joinKeys?.[0];
  const services = data.services.filter((s) => ((s.spec as { features?: unknown[] }).features ?? []).some((f) => String(f).startsWith(`${name}:`))).map((s) => s.name);
  const models = data.models.filter((m) => services.includes(m.featureService));
  const fresh = freshnessOf(name, jobs.data?.materializationJobs ?? []);
  const read = async (e: FormEvent) => {
    e.preventDefault();
    if (!joinKey) return;
    setReadError(undefined);
    const value = /int|long/i.test(joinKey.type) ? Number(keyValue) : keyValue;
    try {
      const answer = await gql(OnlineVector, { entities: { [joinKey.name]: [value] }, features: spec.features.map((f) => `${name}:${featureName(f)}`) });
      setVector(answer.onlineFeatures);
    } catch (err) {
      setReadError(err instanceof ApiError ? err : new ApiError('ERROR', String(err)));
    }
  };
  return (
    <Stack>
      <Title order={2}>Feature view {name}</Title>
      <Text>{spec.description}</Text>
      <Group gap="xs">
        <Text size="sm">
          Source:{' '}
          <Anchor component={Link} to={`/products/${encodeURIComponent(spec.source.dataProduct)}`}>
            {spec.source.dataProduct}
          </Anchor>{' '}
          port {spec.source.outputPort}
        </Text>
        <Badge variant="light">ttl {spec.ttl ?? '—'}</Badge>
        <Badge variant="light">{spec.online ? 'online' : 'offline only'}</Badge>
      </Group>
      <Text size="sm">Features: {spec.features.map(featureName).join(', ')}</Text>
      <Title order={3} size="h4">
        Materialization
      </Title>
      {!can('jobs.read') && <Text size="sm">Materialization jobs need the jobs.read permission.</Text>}
      {jobs.error && <Failure error={jobs.error} />}
      {jobs.data && (
        <>
          <Text size="sm" data-testid="watermark">
            Watermark: {fresh.watermark ? new Date(fresh.watermark).toLocaleString() : 'not materialized yet'}
            {fresh.lastMaterialized && ` · last materialized ${new Date(fresh.lastMaterialized).toLocaleString()}`}
          </Text>
          <MaterializationJobs jobs={jobs.data.materializationJobs} view={name} label="Recent materialization jobs" />
        </>
      )}
      <Title order={3} size="h4">
        Models reading it
      </Title>
      {models.length === 0 && <Text size="sm">None.</Text>}
      {models.map((m) => (
        <Anchor key={`${m.name}@${m.version}`} component={Link} to={`/models/${encodeURIComponent(m.name)}`}>
          model {m.name} {m.version} ({m.stage})
        </Anchor>
      ))}
      <Title order={3} size="h4">
        Read online
      </Title>
      {joinKey && (
        <form onSubmit={(e) => void read(e)}>
          <Group align="end">
            <TextInput label={`Entity ${spec.entities[0]}: ${joinKey.name}`} value={keyValue} onChange={(e) => setKeyValue(e.currentTarget.value)} required />
            <Button type="submit">Read online</Button>
          </Group>
        </form>
      )}
      {readError && <Failure error={readError} />}
      {vector && (
        <Table aria-label="Online vector">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Feature</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Event time</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {vector.metadata.featureNames.map((f, i) => (
              <Table.Tr key={f}>
                <Table.Td>{f}</Table.Td>
                <Table.Td>
                  <Code>{JSON.stringify(vector.results[i]?.values[0] ?? null)}</Code>
                </Table.Td>
                <Table.Td>{vector.results[i]?.statuses[0]}</Table.Td>
                <Table.Td>{vector.results[i]?.eventTimestamps[0]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
