import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { AccessInboxQuery } from '../../gql/graphql';
import { gql } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { useQuery } from '../../lib/use-query';
import { Failure } from '../Failure';

const Inbox = graphql(`
  query AccessInbox($status: String) {
    accessAgreements(status: $status, first: 50) {
      id
      status
      purpose
      piiAccess
      requestedBy
      requestedAt
      startDate
      endDate
      decidedBy
      decidedAt
      reason
      consumer {
        id
        kind
      }
      provider {
        dataProduct
        outputPort
      }
    }
    dataProducts(first: 100) {
      edges {
        node {
          id
          domain
        }
      }
    }
  }
`);

const Approve = graphql(`
  mutation ApproveAccess($id: ID!, $reason: String) {
    approveAccess(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const Reject = graphql(`
  mutation RejectAccess($id: ID!, $reason: String) {
    rejectAccess(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const Revoke = graphql(`
  mutation RevokeAccess($id: ID!, $reason: String) {
    revokeAccess(id: $id, reason: $reason) {
      id
      status
    }
  }
`);

type Agreement = AccessInboxQuery['accessAgreements'][number];

/**
 * A domain owner's inbox: requests for their domains' ports to approve or reject, approved agreements
 * to revoke, each with a reason. Admins see every domain. The server checks each decision again.
 */
export function AccessInbox() {
  const { domainsWith, isAdmin } = useSession();
  const [status, setStatus] = useState('requested');
  const { data, error, reload } = useQuery(Inbox, { status: status === 'all' ? null : status });
  const owned = new Set(domainsWith('domain_owner'));
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const domainOf = new Map(data.dataProducts.edges.map((e) => [e.node.id, e.node.domain]));
  const mine = data.accessAgreements.filter((a) => isAdmin || owned.has(domainOf.get(a.provider.dataProduct) ?? ''));
  return (
    <Stack>
      <Text size="sm">{isAdmin ? 'Every domain (admin).' : owned.size > 0 ? `Requests for the ports of ${[...owned].join(', ')}.` : 'You own no domain: no requests to decide.'}</Text>
      <SegmentedControl
        aria-label="Agreement status"
        value={status}
        onChange={setStatus}
        data={[
          { value: 'requested', label: 'Requested' },
          { value: 'approved', label: 'Approved' },
          { value: 'all', label: 'All' },
        ]}
      />
      {mine.length === 0 && <Text>Nothing here.</Text>}
      {mine.map((a) => (
        <AgreementCard key={a.id} agreement={a} onChange={reload} />
      ))}
    </Stack>
  );
}

function AgreementCard({ agreement: a, onChange }: { agreement: Agreement; onChange: () => void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const decide = async (op: 'approve' | 'reject' | 'revoke') => {
    const vars = { id: a.id, reason: reason.trim() || null };
    const call = op === 'approve' ? () => gql(Approve, vars) : op === 'reject' ? () => gql(Reject, vars) : () => gql(Revoke, vars);
    if (await action.run(call)) {
      setReason('');
      onChange();
    }
  };
  const port = `${a.provider.dataProduct}/${a.provider.outputPort}`;
  return (
    <Card withBorder component="article" aria-label={`Request ${a.id} for ${port}`}>
      <Group justify="space-between">
        <Title order={3} size="h5">
          {a.consumer.id} → {port}
        </Title>
        <Group gap={4}>
          <Badge variant="light">{a.status}</Badge>
          {a.piiAccess && (
            <Badge color="red" variant="light">
              PII in clear
            </Badge>
          )}
        </Group>
      </Group>
      <Text size="sm">Purpose: {a.purpose}</Text>
      <Text size="sm">
        From {new Date(a.startDate).toLocaleDateString()} to {new Date(a.endDate).toLocaleDateString()}; requested by {a.requestedBy} on {new Date(a.requestedAt).toLocaleString()}
      </Text>
      {a.decidedBy && (
        <Text size="sm">
          Decided by {a.decidedBy}
          {a.reason ? `: ${a.reason}` : ''}
        </Text>
      )}
      {(a.status === 'requested' || a.status === 'approved') && (
        <Group align="end" mt="xs" gap="xs">
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {a.status === 'requested' && (
            <>
              <Button size="sm" onClick={() => void decide('approve')} loading={action.busy}>
                Approve
              </Button>
              <Button size="sm" color="red" variant="light" onClick={() => void decide('reject')} loading={action.busy}>
                Reject
              </Button>
            </>
          )}
          {a.status === 'approved' && (
            <Button size="sm" color="red" variant="light" onClick={() => void decide('revoke')} loading={action.busy} disabled={reason.trim() === ''}>
              Revoke
            </Button>
          )}
        </Group>
      )}
      {action.error && <Failure error={action.error} />}
    </Card>
  );
}
