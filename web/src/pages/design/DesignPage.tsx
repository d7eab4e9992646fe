import { ActionIcon, Alert, Button, Card, Checkbox, Grid, Group, List, Select, Stack, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { graphql } from '../../gql';
import type { ApplyDesignMutation } from '../../gql/graphql';
import { gql } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';
import {
  canvasToFiles,
  canvasToYaml,
  CLASSIFICATIONS,
  emptyCanvas,
  emptyColumn,
  emptyOutputPort,
  LOGICAL_TYPES,
  messagesAt,
  productToCanvas,
  unplacedIssues,
  type Canvas,
  type CanvasColumn,
  type CanvasOutputPort,
  type Issue,
  type ProductView,
} from './canvas-mapping';

const Existing = graphql(`
  query DesignProduct($id: String!) {
    dataProduct(id: $id) {
      ...ProductFields
      spec
      outputPorts {
        autoApprove
        contract {
          spec
          schema {
            physicalName
            properties {
              physicalType
            }
          }
        }
      }
    }
  }
`);

const Apply = graphql(`
  mutation ApplyDesign($files: [ContractFileInput!]!, $dryRun: Boolean!) {
    applyContracts(files: $files, dryRun: $dryRun) {
      applied
      dryRun
      message
      errors {
        file
        path
        message
      }
      warnings {
        file
        path
        message
      }
    }
  }
`);

type Report = ApplyDesignMutation['applyContracts'];

/** The design page: a new product (/design) or an existing one (/design/:id) on the canvas. */
export default function DesignPage() {
  const { id } = useParams();
  const existing = useQuery(Existing, { id: id ?? '' }, !id);
  if (id && existing.error) return <Failure error={existing.error} />;
  if (id && !existing.data) return <Text>Loading…</Text>;
  return <CanvasEditor key={id ?? 'new'} initial={existing.data ? productToCanvas(existing.data.dataProduct as ProductView) : undefined} />;
}

function CanvasEditor({ initial }: { initial?: Canvas }) {
  const { can, domainsWith, isAdmin } = useSession();
  const mine = [...new Set([...domainsWith('domain_owner'), ...domainsWith('domain_member')])];
  const [canvas, setCanvas] = useState<Canvas>(() => initial ?? emptyCanvas(mine[0] ?? ''));
  const [report, setReport] = useState<Report>();
  const action = useAction();
  // Applying is for members and owners of the product's domain (and admins); anyone may dry-run.
  const mayApply = can('catalog.apply') && (isAdmin || mine.includes(canvas.domain));
  const issues: Issue[] = report?.errors ?? [];
  const at = (key: string): string | undefined => {
    const m = messagesAt(canvas, issues, key);
    return m.length ? m.join('; ') : undefined;
  };
  const set = (patch: Partial<Canvas>) => setCanvas((c) => ({ ...c, ...patch }));
  const setPort = (i: number, patch: Partial<CanvasOutputPort>) => setCanvas((c) => ({ ...c, outputPorts: c.outputPorts.map((p, n) => (n === i ? { ...p, ...patch } : p)) }));
  const setColumn = (i: number, j: number, patch: Partial<CanvasColumn>) => setPort(i, { columns: canvas.outputPorts[i].columns.map((col, n) => (n === j ? { ...col, ...patch } : col)) });
  const run = (dryRun: boolean) =>
    void action.run(async () => {
      const { applyContracts } = await gql(Apply, { files: canvasToFiles(canvas), dryRun });
      setReport(applyContracts);
    });
  const download = () => {
    const url = URL.createObjectURL(new Blob([canvasToYaml(canvas)], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${canvas.id || 'product'}.yaml`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const unplaced = unplacedIssues(canvas, issues);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Design {canvas.id ? canvas.id : 'a new data product'}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={download}>
            Download YAML
          </Button>
          <Button variant="default" onClick={() => run(true)} loading={action.busy}>
            Dry run
          </Button>
          {mayApply && (
            <Button onClick={() => run(false)} loading={action.busy}>
              Apply
            </Button>
          )}
        </Group>
      </Group>
      {action.error && <Failure error={action.error} />}
      {report && <ReportSummary report={report} unplaced={unplaced} productId={canvas.id} />}
      <Grid>
        <Grid.Col span={12}>
          <Block title="Header">
            <Grid>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <TextInput label="Domain" value={canvas.domain} onChange={(e) => set({ domain: e.currentTarget.value })} error={at('product:domain')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <TextInput label="Product id" value={canvas.id} onChange={(e) => set({ id: e.currentTarget.value })} error={at('product:id')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <TextInput label="Product name" value={canvas.name} onChange={(e) => set({ name: e.currentTarget.value })} error={at('product:name')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 1.5 }}>
                <TextInput label="Version" value={canvas.version} onChange={(e) => set({ version: e.currentTarget.value })} error={at('product:version')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 1.5 }}>
                <Select
                  label="Status"
                  data={['proposed', 'draft', 'active', 'deprecated', 'retired']}
                  value={canvas.status}
                  onChange={(v) => v && set({ status: v })}
                  allowDeselect={false}
                  error={at('product:status')}
                />
              </Grid.Col>
            </Grid>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Block title="Input ports">
            {canvas.inputPorts.map((p, i) => (
              <Group key={i} gap="xs" align="end" wrap="nowrap">
                <TextInput
                  label={`Input ${i + 1} name`}
                  value={p.name}
                  onChange={(e) => set({ inputPorts: canvas.inputPorts.map((x, n) => (n === i ? { ...x, name: e.currentTarget.value } : x)) })}
                  error={at(`product:inputPorts[${i}]`)}
                />
                <TextInput
                  label={`Input ${i + 1} contract id`}
                  value={p.contractId}
                  onChange={(e) => set({ inputPorts: canvas.inputPorts.map((x, n) => (n === i ? { ...x, contractId: e.currentTarget.value } : x)) })}
                />
                <ActionIcon variant="default" size="lg" aria-label={`Remove input ${i + 1}`} onClick={() => set({ inputPorts: canvas.inputPorts.filter((_, n) => n !== i) })}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Button size="xs" variant="default" mt="xs" onClick={() => set({ inputPorts: [...canvas.inputPorts, { name: '', contractId: '', version: '1.0.0' }] })}>
              Add input port
            </Button>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Block title="Data product design">
            <Textarea label="Purpose" autosize minRows={2} value={canvas.purpose} onChange={(e) => set({ purpose: e.currentTarget.value })} error={at('product:description.purpose')} />
            <Textarea label="Usage" autosize minRows={1} value={canvas.usage} onChange={(e) => set({ usage: e.currentTarget.value })} error={at('product:description.usage')} />
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Block title="Metadata and observability">
            <TagsInput label="Tags" value={canvas.tags} onChange={(tags) => set({ tags })} error={at('product:tags')} />
            <TextInput label="Team" value={canvas.teamName} onChange={(e) => set({ teamName: e.currentTarget.value })} error={at('product:team.name')} />
            <TextInput label="Owner (username)" value={canvas.owner} onChange={(e) => set({ owner: e.currentTarget.value })} error={at('product:team.members')} />
            <TextInput label="Support channel" value={canvas.supportChannel} onChange={(e) => set({ supportChannel: e.currentTarget.value })} error={at('product:support')} />
            <TextInput label="Support URL" value={canvas.supportUrl} onChange={(e) => set({ supportUrl: e.currentTarget.value })} />
          </Block>
        </Grid.Col>
        <Grid.Col span={12}>
          <Block title="Ubiquitous language and limitations">
            <Textarea label="Limitations" autosize minRows={1} value={canvas.limitations} onChange={(e) => set({ limitations: e.currentTarget.value })} error={at('product:description.limitations')} />
          </Block>
        </Grid.Col>
      </Grid>
      <Title order={3} size="h4">
        Output ports and their contracts
      </Title>
      {canvas.outputPorts.map((p, i) => (
        <Card withBorder key={i} component="section" aria-label={`Output port ${i + 1}`}>
          {at(`product:outputPorts[${i}]`) && (
            <Text c="red" size="sm" role="note">
              {at(`product:outputPorts[${i}]`)}
            </Text>
          )}
          <Grid>
            <Grid.Col span={{ base: 12, sm: 3 }}>
              <TextInput label={`Port ${i + 1} name`} value={p.name} onChange={(e) => setPort(i, { name: e.currentTarget.value })} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 2 }}>
              <TextInput label={`Port ${i + 1} version`} value={p.version} onChange={(e) => setPort(i, { version: e.currentTarget.value })} error={at(`port${i}:version`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 3 }}>
              <TextInput label={`Port ${i + 1} table`} value={p.table} onChange={(e) => setPort(i, { table: e.currentTarget.value })} error={at(`port${i}:schema[0].physicalName`) ?? at(`port${i}:schema`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 2 }}>
              <TextInput label={`Port ${i + 1} latency (h)`} value={p.latencyHours} onChange={(e) => setPort(i, { latencyHours: e.currentTarget.value })} error={at(`port${i}:slaProperties`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 2 }}>
              <TextInput label={`Port ${i + 1} availability (%)`} value={p.availabilityPercent} onChange={(e) => setPort(i, { availabilityPercent: e.currentTarget.value })} />
            </Grid.Col>
            <Grid.Col span={12}>
              <TextInput label={`Port ${i + 1} description`} value={p.description} onChange={(e) => setPort(i, { description: e.currentTarget.value })} />
            </Grid.Col>
            <Grid.Col span={12}>
              <Group>
                <Checkbox label="Contains personal data" checked={p.containsPii} onChange={(e) => setPort(i, { containsPii: e.currentTarget.checked })} />
                <Checkbox label="Approve access requests automatically" checked={p.autoApprove} onChange={(e) => setPort(i, { autoApprove: e.currentTarget.checked })} />
              </Group>
            </Grid.Col>
          </Grid>
          <ScrollTable label={`Columns of port ${i + 1}`}>
            <Table aria-label={`Columns of port ${i + 1}`} mt="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Logical type</Table.Th>
                  <Table.Th>Physical type</Table.Th>
                  <Table.Th>Classification</Table.Th>
                  <Table.Th>Required</Table.Th>
                  <Table.Th>Problems</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.columns.map((col, j) => {
                  const problem = at(`port${i}:schema[0].properties[${j}]`);
                  return (
                    <Table.Tr key={j}>
                      <Table.Td>
                        <TextInput aria-label={`Port ${i + 1} column ${j + 1} name`} value={col.name} onChange={(e) => setColumn(i, j, { name: e.currentTarget.value })} error={problem ? true : undefined} />
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Port ${i + 1} column ${j + 1} logical type`}
                          data={[...LOGICAL_TYPES]}
                          value={col.logicalType}
                          onChange={(v) => v && setColumn(i, j, { logicalType: v })}
                          allowDeselect={false}
                          w={130}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Port ${i + 1} column ${j + 1} physical type`} value={col.physicalType} onChange={(e) => setColumn(i, j, { physicalType: e.currentTarget.value })} w={120} />
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Port ${i + 1} column ${j + 1} classification`}
                          data={[{ value: '', label: '(none)' }, ...CLASSIFICATIONS.map((x) => ({ value: x, label: x }))]}
                          value={col.classification}
                          onChange={(v) => setColumn(i, j, { classification: v ?? '' })}
                          w={140}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox aria-label={`Port ${i + 1} column ${j + 1} required`} checked={col.required} onChange={(e) => setColumn(i, j, { required: e.currentTarget.checked })} />
                      </Table.Td>
                      <Table.Td>
                        {problem && (
                          <Text c="red" size="sm" data-testid={`problem-${i}-${j}`}>
                            {problem}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Group mt="xs">
            <Button size="xs" variant="default" onClick={() => setPort(i, { columns: [...p.columns, emptyColumn()] })}>
              Add column
            </Button>
            {canvas.outputPorts.length > 1 && (
              <Button size="xs" variant="default" onClick={() => set({ outputPorts: canvas.outputPorts.filter((_, n) => n !== i) })}>
                Remove port {i + 1}
              </Button>
            )}
          </Group>
        </Card>
      ))}
      <Group>
        <Button variant="default" onClick={() => set({ outputPorts: [...canvas.outputPorts, emptyOutputPort()] })}>
          Add output port
        </Button>
      </Group>
      <YamlPreview canvas={canvas} />
    </Stack>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder h="100%" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <Stack gap="xs">{children}</Stack>
    </Card>
  );
}

function ReportSummary({ report, unplaced, productId }: { report: Report; unplaced: Issue[]; productId: string }) {
  const ok = report.errors.length === 0;
  return (
    <Alert color={ok ? 'blue' : 'red'} title={ok ? (report.dryRun ? 'Dry run passed' : 'Applied') : `${report.errors.length} problem(s): each is shown at its field`} role="status">
      <Text size="sm">{report.message}</Text>
      {report.applied && productId && <Link to={`/products/${encodeURIComponent(productId)}`}>Open the product</Link>}
      {unplaced.length > 0 && (
        <List size="sm" aria-label="Other problems">
          {unplaced.map((i, n) => (
            <List.Item key={n}>
              {i.file} {i.path || '(document)'}: {i.message}
            </List.Item>
          ))}
        </List>
      )}
      {report.warnings.length > 0 && <Text size="sm">Warnings: {report.warnings.map((w) => `${w.path}: ${w.message}`).join('; ')}</Text>}
    </Alert>
  );
}

/** The documents the canvas produces, refreshed as it changes. */
function YamlPreview({ canvas }: { canvas: Canvas }) {
  // Deferred, as the effect it replaces was: typing stays responsive while the YAML catches up.
  const deferred = useDeferredValue(canvas);
  const yaml = useMemo(() => canvasToYaml(deferred), [deferred]);
  return (
    <details>
      <summary>ODPS and ODCS YAML</summary>
      <pre style={{ overflowX: 'auto' }} tabIndex={0} aria-label="Generated YAML">
        {yaml}
      </pre>
    </details>
  );
}
