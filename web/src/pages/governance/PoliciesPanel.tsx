import { Badge, Button, Card, Code, Group, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { PoliciesQuery } from '../../gql/graphql';
import { gql } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const Policies = graphql(`
  query Policies {
    policies {
      id
      name
      title
      status
      statusReason
      severity
      category
      rule
      message
      proposedBy
      tally {
        outcome
        quorum
        approvingDomains
        rejectingDomains
        reason
      }
      votes {
        voter
        domain
        vote
        comment
        castAt
      }
    }
  }
`);

const Propose = graphql(`
  mutation ProposePolicy($document: String!) {
    proposePolicy(document: $document) {
      id
      status
    }
  }
`);

const Submit = graphql(`
  mutation SubmitPolicy($id: ID!) {
    submitPolicyForReview(id: $id) {
      id
      status
    }
  }
`);

const Vote = graphql(`
  mutation VotePolicy($id: ID!, $vote: VoteChoice!, $comment: String!) {
    votePolicy(id: $id, vote: $vote, comment: $comment) {
      id
      status
    }
  }
`);

type Policy = PoliciesQuery['policies'][number];

/** Review order: what needs a decision first. */
const STATUSES = ['in_review', 'draft', 'approved', 'active', 'rejected', 'deprecated', 'superseded'] as const;

// Blue, red and gray: the shades theme.ts keeps above AA contrast in light badges (orange and green stay just under 4.5:1).
const statusColor: Record<string, string> = { in_review: 'blue', draft: 'gray', approved: 'blue', rejected: 'red', deprecated: 'gray', superseded: 'gray' };

/** Policies by status with their CEL rule, votes and quorum; propose, submit and vote where the viewer may. */
export function PoliciesPanel() {
  const { can } = useSession();
  const { data, error, reload } = useQuery(Policies, {});
  const [status, setStatus] = useState<string | null>('all');
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const shown = STATUSES.filter((s) => status === 'all' || s === status)
    .map((s) => ({ status: s, policies: data.policies.filter((p) => p.status === s) }))
    .filter((g) => g.policies.length > 0);
  return (
    <Stack>
      {can('policies.propose') && <ProposeForm onDone={reload} />}
      <Select
        label="Status"
        w={220}
        value={status}
        onChange={setStatus}
        allowDeselect={false}
        data={[{ value: 'all', label: 'All statuses' }, ...STATUSES.map((s) => ({ value: s, label: `${s.replace('_', ' ')} (${data.policies.filter((p) => p.status === s).length})` }))]}
      />
      {shown.length === 0 && <Text>No policy with this status.</Text>}
      {shown.map((g) => (
        <Stack key={g.status} gap="xs">
          <Title order={3} size="h4">
            {g.status.replace('_', ' ')} ({g.policies.length})
          </Title>
          {g.policies.map((p) => (
            <PolicyCard key={p.id} policy={p} onChange={reload} />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}

function ProposeForm({ onDone }: { onDone: () => void }) {
  const [document, setDocument] = useState('');
  const action = useAction();
  const propose = async () => {
    if (await action.run(() => gql(Propose, { document }))) {
      setDocument('');
      onDone();
    }
  };
  return (
    <Card withBorder component="section" aria-label="Propose a policy">
      <Title order={3} size="h4">
        Propose a policy
      </Title>
      <Textarea
        label="Policy document (tessera/v1 Policy, YAML)"
        autosize
        minRows={4}
        styles={{ input: { fontFamily: 'monospace' } }}
        value={document}
        onChange={(e) => setDocument(e.currentTarget.value)}
        error={action.error?.message}
      />
      <Group mt="xs">
        <Button onClick={() => void propose()} loading={action.busy} disabled={document.trim() === ''}>
          Propose as draft
        </Button>
      </Group>
    </Card>
  );
}

function PolicyCard({ policy: p, onChange }: { policy: Policy; onChange: () => void }) {
  const { viewer, can, domainsWith } = useSession();
  const [comment, setComment] = useState('');
  const action = useAction();
  const mine = p.proposedBy === viewer?.id;
  const member = domainsWith('governance_member').length > 0;
  const vote = async (choice: 'approve' | 'reject' | 'block' | 'abstain') => {
    if (await action.run(() => gql(Vote, { id: p.id, vote: choice as never, comment }))) {
      setComment('');
      onChange();
    }
  };
  const submit = async () => {
    if (await action.run(() => gql(Submit, { id: p.id }))) onChange();
  };
  return (
    <Card withBorder component="article" aria-label={`Policy ${p.id}`}>
      <Group justify="space-between" wrap="wrap">
        <Title order={4} size="h5">
          {p.title}{' '}
          <Text span size="sm" c="dimmed">
            {p.id}
          </Text>
        </Title>
        <Group gap={4}>
          <Badge color={statusColor[p.status] ?? 'blue'} variant={p.status === 'active' ? 'filled' : 'light'}>
            {p.status.replace('_', ' ')}
          </Badge>
          <Badge variant="outline">{p.severity}</Badge>
          <Badge variant="outline">{p.category}</Badge>
        </Group>
      </Group>
      <Text size="sm" mt={4}>
        Rule (CEL): <Code>{p.rule}</Code>
      </Text>
      <Text size="sm">
        Proposed by {p.proposedBy}. {p.statusReason}
      </Text>
      <Text size="sm" data-testid="tally">
        Quorum {p.tally.quorum} domains: approving {p.tally.approvingDomains.join(', ') || 'none'}; rejecting {p.tally.rejectingDomains.join(', ') || 'none'} ({p.tally.reason})
      </Text>
      {p.votes.length > 0 && (
        <ScrollTable label={`Votes on ${p.id}`}>
          <Table aria-label={`Votes on ${p.id}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Voter</Table.Th>
                <Table.Th>Domain</Table.Th>
                <Table.Th>Vote</Table.Th>
                <Table.Th>Comment</Table.Th>
                <Table.Th>When</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.votes.map((v) => (
                <Table.Tr key={`${v.voter}@${v.castAt}`}>
                  <Table.Td>{v.voter}</Table.Td>
                  <Table.Td>{v.domain}</Table.Td>
                  <Table.Td>{v.vote}</Table.Td>
                  <Table.Td>{v.comment}</Table.Td>
                  <Table.Td>{new Date(v.castAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {p.status === 'draft' && (mine || member) && can('policies.propose') && (
        <Group mt="xs">
          <Button size="xs" onClick={() => void submit()} loading={action.busy}>
            Submit for review
          </Button>
        </Group>
      )}
      {p.status === 'in_review' && can('policies.vote') && member && (
        <Stack gap="xs" mt="xs">
          <Textarea label={`Comment on ${p.name}`} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={1} />
          <Group gap="xs">
            {/* The proposer never approves their own policy (the server refuses it too): other domains decide. */}
            <Button size="xs" onClick={() => void vote('approve')} disabled={mine || comment.trim() === ''} loading={action.busy}>
              Approve
            </Button>
            <Button size="xs" color="red" variant="light" onClick={() => void vote('reject')} disabled={comment.trim() === ''} loading={action.busy}>
              Reject
            </Button>
            <Button size="xs" color="red" variant="outline" onClick={() => void vote('block')} disabled={comment.trim() === ''} loading={action.busy}>
              Block
            </Button>
          </Group>
          {mine && <Text size="sm">You proposed this policy: you cannot approve it; governance members of other domains decide.</Text>}
        </Stack>
      )}
      {action.error && <Failure error={action.error} />}
    </Card>
  );
}
