import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { graphql } from '../../gql';
import { useSession } from '../../lib/session';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';
import { RecentJobs } from './jobs-query';
import { freshnessOf, MaterializationJobs } from './MaterializationJobs';

const FeatureStore = graphql(`
  query FeaturesOverview {
    entities: registryObjects(kind: Entity) {
      name
      spec
    }
    views: registryObjects(kind: FeatureView) {
      name
      spec
    }
    services: registryObjects(kind: FeatureService) {
      name
      spec
    }
  }
`);

const Datasets = graphql(`
  query TrainingDatasetsOverview {
    trainingDatasets(first: 100) {
      id
      name
      version
      rowCount
      featureService
      createdBy
      createdAt
      sourceContracts {
        dataProduct
        outputPort
        contractId
        contractVersion
        featureView
      }
    }
  }
`);

interface ViewSpec {
  entities?: string[];
  source?: { dataProduct: string; outputPort: string };
  ttl?: string;
  online?: boolean;
}
interface EntitySpec {
  joinKeys?: { name: string; type?: string }[];
  description?: string;
}

const when = (iso?: string): string => (iso ? new Date(iso).toLocaleString() : '—');

/** The feature store at a glance: entities, views with their freshness and jobs, services, training datasets. */
export function FeaturesPage() {
  const { can } = useSession();
  const store = useQuery(FeatureStore, {});
  const jobs = useQuery(RecentJobs, { first: 20 }, !can('jobs.read'));
  const datasets = useQuery(Datasets, {}, !can('catalog.read'));
  if (store.error) return <Failure error={store.error} />;
  if (!store.data) return <Text>Loading…</Text>;
  const jobRows = jobs.data?.materializationJobs ?? [];
  return (
    <Stack>
      <Title order={2}>Features</Title>
      <Title order={3} size="h4">
        Entities
      </Title>
      <ScrollTable label="Entities table">
        <Table aria-label="Entities">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Entity</Table.Th>
              <Table.Th>Join keys</Table.Th>
              <Table.Th>Description</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {store.data.entities.map((e) => {
              const spec = e.spec as EntitySpec;
              return (
                <Table.Tr key={e.name}>
                  <Table.Td>{e.name}</Table.Td>
                  <Table.Td>{(spec.joinKeys ?? []).map((k) => (k.type ? `${k.name} (${k.type})` : k.name)).join(', ')}</Table.Td>
                  <Table.Td>{spec.description ?? ''}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>

      <Title order={3} size="h4">
        Feature views
      </Title>
      <ScrollTable label="Feature views table">
        <Table aria-label="Feature views">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>View</Table.Th>
              <Table.Th>Source port</Table.Th>
              <Table.Th>TTL</Table.Th>
              <Table.Th>Online</Table.Th>
              <Table.Th>Watermark</Table.Th>
              <Table.Th>Last materialized</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {store.data.views.map((v) => {
              const spec = v.spec as ViewSpec;
              const fresh = freshnessOf(v.name, jobRows);
              return (
                <Table.Tr key={v.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/features/${encodeURIComponent(v.name)}`}>
                      {v.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {spec.source ? (
                      <Anchor component={Link} to={`/products/${encodeURIComponent(spec.source.dataProduct)}`}>
                        {spec.source.dataProduct} · {spec.source.outputPort}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{spec.ttl ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={spec.online ? 'blue' : 'gray'}>
                      {spec.online ? 'online' : 'offline only'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{when(fresh.watermark)}</Table.Td>
                  <Table.Td>{when(fresh.lastMaterialized)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollTable>

      <Title order={3} size="h4">
        Recent materialization jobs
      </Title>
      {!can('jobs.read') && <Text size="sm">Materialization jobs need the jobs.read permission.</Text>}
      {jobs.error && <Failure error={jobs.error} />}
      {jobs.data && <MaterializationJobs jobs={jobRows} label="Materialization jobs" />}

      <Title order={3} size="h4">
        Feature services
      </Title>
      <ScrollTable label="Feature services table">
        <Table aria-label="Feature services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Features</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {store.data.services.map((s) => (
              <Table.Tr key={s.name}>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>{((s.spec as { features?: unknown[] }).features ?? []).map((f) => (typeof f === 'string' ? f : JSON.stringify(f))).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>

      <Title order={3} size="h4">
        Training datasets
      </Title>
      {datasets.error && <Failure error={datasets.error} />}
      {datasets.data && datasets.data.trainingDatasets.length === 0 && <Text size="sm">No training datasets saved yet.</Text>}
      {datasets.data && datasets.data.trainingDatasets.length > 0 && (
        <ScrollTable label="Training datasets table">
          <Table aria-label="Training datasets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dataset</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Rows</Table.Th>
                <Table.Th>Feature service</Table.Th>
                <Table.Th>Source contracts</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {datasets.data.trainingDatasets.map((d) => (
                <Table.Tr key={d.id} id={`dataset-${d.id}`}>
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td>{d.version}</Table.Td>
                  <Table.Td>{d.rowCount}</Table.Td>
                  <Table.Td>{d.featureService ?? '—'}</Table.Td>
                  <Table.Td>
                    {d.sourceContracts.map((c) => (
                      <Text key={`${c.featureView}/${c.contractId}`} size="sm">
                        <Anchor component={Link} to={`/products/${encodeURIComponent(c.dataProduct)}`}>
                          {c.dataProduct} · {c.outputPort}
                        </Anchor>{' '}
                        {c.contractId} {c.contractVersion} (for {c.featureView})
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {d.createdBy}, {when(d.createdAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
