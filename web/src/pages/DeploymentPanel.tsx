import { Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { graphql } from '../gql';
import { gql } from '../lib/api';
import { useAction } from '../lib/use-action';
import { useQuery } from '../lib/use-query';
import { ScrollTable } from '../ScrollTable';
import { Failure } from './Failure';

const Deployment = graphql(`
  query ModelDeployment($name: String!) {
    deployment(name: $name) {
      production
      canary {
        version
        percent
      }
      shadows
      previous
      revision
      updatedAt
      updatedBy
    }
    deploymentHistory(name: $name, limit: 20) {
      action
      changedAt
      changedBy
      after
    }
  }
`);

const Deploy = graphql(`
  mutation DeployVersion($name: String!, $version: String!) {
    deployModel(name: $name, version: $version) {
      revision
    }
  }
`);
const SetCanary = graphql(`
  mutation SetCanary($name: String!, $version: String!, $percent: Float!) {
    setCanary(name: $name, version: $version, percent: $percent) {
      revision
    }
  }
`);
const ClearCanary = graphql(`
  mutation ClearCanary($name: String!) {
    clearCanary(name: $name) {
      revision
    }
  }
`);
const Promote = graphql(`
  mutation PromoteCanary($name: String!) {
    promoteCanary(name: $name) {
      revision
    }
  }
`);
const Rollback = graphql(`
  mutation Rollback($name: String!) {
    rollback(name: $name) {
      revision
    }
  }
`);
const AddShadow = graphql(`
  mutation AddShadow($name: String!, $version: String!) {
    addShadow(name: $name, version: $version) {
      revision
    }
  }
`);
const RemoveShadow = graphql(`
  mutation RemoveShadow($name: String!, $version: String!) {
    removeShadow(name: $name, version: $version) {
      revision
    }
  }
`);

/**
 * Which versions of a model serve (production, a sticky canary share, shadows) and its change
 * history; the controls only for who may deploy in the model's domain (the server decides again).
 */
export function DeploymentPanel({ name, versions, canDeploy }: { name: string; versions: string[]; canDeploy: boolean }) {
  const { data, error, reload } = useQuery(Deployment, { name });
  const action = useAction();
  const [candidate, setCandidate] = useState<string | null>(null);
  const [percent, setPercent] = useState<number | string>(10);
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const d = data.deployment;
  const others = versions.filter((v) => v !== d?.production);
  const chosen = candidate ?? others[0] ?? null;
  const change = (step: () => Promise<unknown>) => void action.run(step).then((ok) => ok && reload());
  return (
    <Card withBorder component="section" aria-label="Deployment">
      <Title order={3} size="h4">
        Deployment
      </Title>
      {!d && <Text size="sm">Not deployed: predictions use the production-stage version, if any.</Text>}
      {d && (
        <Stack gap={4} data-testid="deployment">
          <Text size="sm">
            Production <Badge variant="filled">{d.production}</Badge>
          </Text>
          <Text size="sm">Canary: {d.canary ? `${d.canary.version} answers ${d.canary.percent} % of entities` : 'none'}</Text>
          <Text size="sm">Shadows: {d.shadows.length ? d.shadows.join(', ') : 'none'}</Text>
          <Text size="sm">Rollback goes to: {d.previous.at(-1) ?? 'nothing (no former production version)'}</Text>
          <Text size="xs" c="dimmed">
            Revision {d.revision}, by {d.updatedBy}, {new Date(d.updatedAt).toLocaleString()}
          </Text>
        </Stack>
      )}
      {canDeploy && (
        <Stack gap="xs" mt="sm">
          <Group align="end" gap="xs" wrap="wrap">
            <Select label="Version" w={140} data={versions} value={chosen} onChange={setCandidate} allowDeselect={false} />
            <NumberInput label="Canary share (%)" w={150} min={0.1} max={100} step={5} value={percent} onChange={setPercent} />
            <Button onClick={() => chosen && change(() => gql(SetCanary, { name, version: chosen, percent: Number(percent) }))} disabled={!d || !chosen || chosen === d.production} loading={action.busy}>
              Set canary
            </Button>
            <Button
              variant="light"
              onClick={() => chosen && change(() => gql(AddShadow, { name, version: chosen }))}
              disabled={!d || !chosen || chosen === d.production || d.shadows.includes(chosen)}
              loading={action.busy}
            >
              Add shadow
            </Button>
            <Button variant="default" onClick={() => chosen && change(() => gql(Deploy, { name, version: chosen }))} disabled={!chosen || chosen === d?.production} loading={action.busy}>
              Deploy to production
            </Button>
          </Group>
          {d && (
            <Group gap="xs" wrap="wrap">
              {d.canary && (
                <>
                  <Button variant="light" onClick={() => change(() => gql(Promote, { name }))} loading={action.busy}>
                    Promote canary
                  </Button>
                  <Button variant="default" onClick={() => change(() => gql(ClearCanary, { name }))} loading={action.busy}>
                    Stop canary
                  </Button>
                </>
              )}
              {d.shadows.map((s) => (
                <Button key={s} variant="default" onClick={() => change(() => gql(RemoveShadow, { name, version: s }))} loading={action.busy}>
                  Remove shadow {s}
                </Button>
              ))}
              {d.previous.length > 0 && (
                <Button color="red" variant="light" onClick={() => change(() => gql(Rollback, { name }))} loading={action.busy}>
                  Roll back to {d.previous.at(-1)}
                </Button>
              )}
            </Group>
          )}
          {action.error && <Failure error={action.error} />}
        </Stack>
      )}
      {data.deploymentHistory.length > 0 && (
        <ScrollTable label="Deployment history table">
          <Table aria-label="Deployment history" mt="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Production after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...data.deploymentHistory].reverse().map((h) => (
                <Table.Tr key={`${h.changedAt}-${h.action}`}>
                  <Table.Td>{new Date(h.changedAt).toLocaleString()}</Table.Td>
                  <Table.Td>{h.action}</Table.Td>
                  <Table.Td>{h.changedBy}</Table.Td>
                  <Table.Td>{(h.after as { production?: string } | null)?.production ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Card>
  );
}
