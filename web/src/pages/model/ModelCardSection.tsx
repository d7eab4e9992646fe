import { Anchor, Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ScrollTable } from '../../ScrollTable';

interface Tensor {
  name: string;
  type: string;
  shape?: unknown;
}
export interface CardVersion {
  version: string;
  modelCard: { intendedUse?: string | null; limitations?: string | null; metrics: unknown; trainingDatasetId?: string | null };
  inputs: Tensor[];
  requestInputs: Tensor[];
  outputs: Tensor[];
  features: { ref: string; type?: string | null }[];
}

const shapeOf = (shape: unknown): string => (Array.isArray(shape) ? `[${shape.map(String).join(', ')}]` : '—');

/** The model card of one version: intended use, limitations, metrics and the training dataset it came from. */
export function ModelCardSection({ v }: { v: CardVersion }) {
  const card = v.modelCard;
  const metrics = Object.entries((card.metrics ?? {}) as Record<string, unknown>);
  return (
    <Stack gap="xs" role="region" aria-label="Model card">
      <Title order={3} size="h4">
        Model card ({v.version})
      </Title>
      <Text size="sm">
        <b>Intended use:</b> {card.intendedUse ?? 'not stated (a gap to fill)'}
      </Text>
      <Text size="sm">
        <b>Limitations:</b> {card.limitations ?? 'not stated (a gap to fill)'}
      </Text>
      <Group gap="xs" aria-label="Metrics">
        <Text size="sm" fw={700}>
          Metrics:
        </Text>
        {metrics.length === 0 && <Text size="sm">none recorded</Text>}
        {metrics.map(([k, value]) => (
          <Badge key={k} variant="light" tt="none">
            {k} {String(value)}
          </Badge>
        ))}
      </Group>
      <Text size="sm">
        <b>Training dataset:</b>{' '}
        {card.trainingDatasetId ? (
          <Anchor component={Link} to={`/features#dataset-${card.trainingDatasetId}`}>
            {card.trainingDatasetId}
          </Anchor>
        ) : (
          'not recorded'
        )}
      </Text>
    </Stack>
  );
}

function TensorRows({ kind, tensors }: { kind: string; tensors: Tensor[] }) {
  return tensors.map((t) => (
    <Table.Tr key={`${kind}:${t.name}`}>
      <Table.Td>{kind}</Table.Td>
      <Table.Td>{t.name}</Table.Td>
      <Table.Td>{t.type}</Table.Td>
      <Table.Td>{shapeOf(t.shape)}</Table.Td>
    </Table.Tr>
  ));
}

/** The signature: the ONNX inputs and outputs with their element types and shapes, and the feature columns in order. */
export function SignatureSection({ v }: { v: CardVersion }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Signature
      </Title>
      <ScrollTable label="Signature table">
        <Table aria-label="Signature">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Shape</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <TensorRows kind="input" tensors={v.inputs} />
            <TensorRows kind="request input" tensors={v.requestInputs} />
            <TensorRows kind="output" tensors={v.outputs} />
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Text size="sm">Feature columns, in order: {v.features.map((f) => (f.type ? `${f.ref} (${f.type})` : f.ref)).join(', ')}</Text>
    </Stack>
  );
}
