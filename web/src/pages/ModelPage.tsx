import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { graphql } from '../gql';
import { useSession } from '../lib/session';
import { useQuery } from '../lib/use-query';
import { DeploymentPanel } from './DeploymentPanel';
import { ScrollTable } from '../ScrollTable';
import { Failure } from './Failure';
import { DriftSection } from './model/DriftSection';
import { ModelCardSection, SignatureSection } from './model/ModelCardSection';
import { PredictionLogSample } from './model/PredictionLogSample';

const ModelQuery = graphql(`
  query ModelPage($name: String!) {
    models(name: $name) {
      name
      version
      stage
      domain
      owner
      description
      featureService
      registeredAt
      stageHistory {
        fromStage
        toStage
        changedAt
        changedBy
      }
      modelCard {
        intendedUse
        limitations
        metrics
        trainingDatasetId
      }
      inputs {
        name
        type
        shape
      }
      requestInputs {
        name
        type
        shape
      }
      outputs {
        name
        type
        shape
      }
      features {
        ref
        type
      }
    }
  }
`);

export function ModelPage() {
  const { name = '' } = useParams();
  const { data, error } = useQuery(ModelQuery, { name });
  const { can, domainsWith, isAdmin } = useSession();
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const versions = data.models.filter((m) => m.name === name);
  if (versions.length === 0) return <Text>No model named {name}.</Text>;
  const head = versions[0];
  // The card, signature and drift of the production version when there is one, else the newest.
  const shown = versions.find((v) => v.stage === 'production') ?? head;
  // The log and drift show entities and outputs: only for those who may read models.
  const canReadLog = can('models.read');
  // Deploying is a domain owner's (or an admin's) in the model's domain: offer it only to them.
  const canDeploy = can('models.deploy') && (isAdmin || (head.domain != null && domainsWith('domain_owner').includes(head.domain)));
  return (
    <Stack>
      <Title order={2}>Model {name}</Title>
      <Text>{head.description}</Text>
      <Text size="sm">
        Domain {head.domain ?? '—'} · owner {head.owner ?? '—'} · feature service {head.featureService}
      </Text>
      <ModelCardSection v={shown} />
      <SignatureSection v={shown} />
      <Title order={3} size="h4">
        Versions
      </Title>
      <ScrollTable label="Versions table">
        <Table aria-label="Versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Stage</Table.Th>
              <Table.Th>Registered</Table.Th>
              <Table.Th>Stage history</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{v.stage}</Badge>
                </Table.Td>
                <Table.Td>{new Date(v.registeredAt).toLocaleString()}</Table.Td>
                <Table.Td>{v.stageHistory.map((h) => `${h.fromStage ?? '∅'}→${h.toStage} by ${h.changedBy}`).join('; ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <DeploymentPanel name={name} versions={versions.map((v) => v.version)} canDeploy={canDeploy} />
      {canReadLog ? (
        <>
          <PredictionLogSample model={name} />
          <DriftSection name={name} version={shown.version} />
        </>
      ) : (
        <Text size="sm">The prediction log and drift need the models.read permission.</Text>
      )}
    </Stack>
  );
}
