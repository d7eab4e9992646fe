import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { graphql } from '../../gql';
import type { AuditFilter, AuditOutcome } from '../../gql/graphql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const Audit = graphql(`
  query AuditTrail($filter: AuditFilter, $limit: Int!) {
    auditLog(filter: $filter, limit: $limit) {
      seq
      at
      principalId
      action
      resource
      outcome
      operation
      reason
    }
  }
`);

interface Filters {
  principalId: string;
  action: string;
  resource: string;
  outcome: string;
  since: string;
}
const EMPTY: Filters = { principalId: '', action: '', resource: '', outcome: '', since: '' };

/** The filter the server understands: empty fields are no filter; `since` is a local date. */
function toFilter(f: Filters): AuditFilter {
  return {
    principalId: f.principalId.trim() || null,
    action: f.action.trim() || null,
    resource: f.resource.trim() || null,
    outcome: (f.outcome || null) as AuditOutcome | null,
    since: f.since ? new Date(f.since).toISOString() : null,
  };
}

/** The audit trail, newest first, filtered by principal, action, resource, outcome and date. */
export function AuditTrail() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const { data, error } = useQuery(Audit, { filter: toFilter(applied), limit: 100 });
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  return (
    <Stack>
      <form onSubmit={apply} aria-label="Audit filters">
        <Group align="end" gap="xs" wrap="wrap">
          <TextInput label="Principal" placeholder="person:rita" value={draft.principalId} onChange={(e) => set('principalId')(e.currentTarget.value)} />
          <TextInput label="Action" placeholder="agreements.approve" value={draft.action} onChange={(e) => set('action')(e.currentTarget.value)} />
          <TextInput label="Resource contains" value={draft.resource} onChange={(e) => set('resource')(e.currentTarget.value)} />
          <Select
            label="Outcome"
            w={140}
            value={draft.outcome}
            onChange={(v) => set('outcome')(v ?? '')}
            data={[
              { value: '', label: 'Any' },
              { value: 'allowed', label: 'allowed' },
              { value: 'denied', label: 'denied' },
              { value: 'failed', label: 'failed' },
            ]}
          />
          <TextInput label="Since" type="date" value={draft.since} onChange={(e) => set('since')(e.currentTarget.value)} />
          <Button type="submit">Filter</Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      {error && <Failure error={error} />}
      {!data && !error && <Text>Loading…</Text>}
      {data && (
        <ScrollTable label="Audit entries table">
          <Table aria-label="Audit entries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Principal</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.auditLog.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                  <Table.Td>{e.principalId ?? '—'}</Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>{e.resource}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={e.outcome === 'allowed' ? 'gray' : 'red'}>
                      {e.outcome}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{e.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.auditLog.length === 0 && <Text size="sm">No entries match.</Text>}
        </ScrollTable>
      )}
    </Stack>
  );
}
