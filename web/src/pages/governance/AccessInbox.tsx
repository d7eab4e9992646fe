import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { graphql } from '../../gql';
import type { AccessInboxDomainsQuery, AccessInboxQuery } from '../../gql/graphql';
import { ApiError, gql } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { Failure } from '../Failure';

const Inbox = graphql(`
  query AccessInbox($status: String, $first: Int!, $after: ID) {
    accessAgreements(status: $status, first: $first, after: $after) {
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
  }
`);

const Domains = graphql(`
  query AccessInboxDomains($first: Int!, $after: String) {
    dataProducts(first: $first, after: $after) {
      edges {
        node {
          id
          domain
        }
      }
      pageInfo {
        hasNextPage
        endCursor
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

/** Agreements per page (the query-complexity limit of 2000 counts each field once per row). */
export const AGREEMENTS_PAGE = 50;
/** Products per page when mapping every product to its domain. */
export const PRODUCTS_PAGE = 100;

const asError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('ERROR', String(e)));

/** Every product's domain, read page by page (a mesh may hold any number of products). */
function useProductDomains(): { domains?: Map<string, string>; error?: ApiError } {
  const [state, setState] = useState<{ domains?: Map<string, string>; error?: ApiError }>({});
  useEffect(() => {
    let current = true;
    void (async () => {
      const domains = new Map<string, string>();
      let after: string | null = null;
      for (;;) {
        const page: AccessInboxDomainsQuery = await gql(Domains, { first: PRODUCTS_PAGE, after });
        for (const e of page.dataProducts.edges) domains.set(e.node.id, e.node.domain);
        if (!page.dataProducts.pageInfo.hasNextPage || !page.dataProducts.pageInfo.endCursor) break;
        after = page.dataProducts.pageInfo.endCursor;
      }
      return domains;
    })().then(
      (domains) => current && setState({ domains }),
      (e: unknown) => current && setState({ error: asError(e) }),
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}

/**
 * Agreements of one status, AGREEMENTS_PAGE at a time with "load more" (keyset on the last id).
 * After a decision the pages loaded so far are read again, so a decided request leaves the
 * "requested" view without the pager jumping back to the first page.
 */
function useAgreementPages(status: string | null) {
  // `of` is the status the items were read for: after a switch, the old items are not shown while the new ones load.
  const [state, setState] = useState<{ of?: string | null; items: Agreement[]; more: boolean; pages: number; loading: boolean; error?: ApiError }>({ items: [], more: false, pages: 0, loading: true });
  const read = useCallback(
    async (pages: number, from: Agreement[]) => {
      const items = [...from];
      let more = true;
      for (let i = 0; i < pages && more; i++) {
        const page = await gql(Inbox, { status, first: AGREEMENTS_PAGE, after: items.at(-1)?.id ?? null });
        items.push(...page.accessAgreements);
        more = page.accessAgreements.length === AGREEMENTS_PAGE;
      }
      return { items, more };
    },
    [status],
  );
  const run = useCallback(
    (pages: number, from: Agreement[], total: number) => {
      setState((s) => ({ ...s, loading: true }));
      read(pages, from).then(
        ({ items, more }) => setState({ of: status, items, more, pages: total, loading: false }),
        (e: unknown) => setState((s) => ({ ...s, loading: false, error: asError(e) })),
      );
    },
    [read, status],
  );
  useEffect(() => {
    let current = true;
    read(1, []).then(
      ({ items, more }) => current && setState({ of: status, items, more, pages: 1, loading: false }),
      (e: unknown) => current && setState((s) => ({ ...s, loading: false, error: asError(e) })),
    );
    return () => {
      current = false;
    };
  }, [read, status]);
  const fresh = state.of === status;
  return {
    ...state,
    items: fresh ? state.items : [],
    more: fresh && state.more,
    loading: !fresh || state.loading,
    loadMore: () => run(1, state.items, state.pages + 1),
    reload: () => run(Math.max(state.pages, 1), [], Math.max(state.pages, 1)),
  };
}

/**
 * A domain owner's inbox: requests for their domains' ports to approve or reject, approved agreements
 * to revoke, each with a reason. Admins see every domain. The server checks each decision again.
 */
export function AccessInbox() {
  const { domainsWith, isAdmin } = useSession();
  const [status, setStatus] = useState('requested');
  const agreements = useAgreementPages(status === 'all' ? null : status);
  const { domains, error: domainsError } = useProductDomains();
  const owned = new Set(domainsWith('domain_owner'));
  const error = agreements.error ?? domainsError;
  if (error) return <Failure error={error} />;
  if (!domains || (agreements.loading && agreements.pages === 0)) return <Text>Loading…</Text>;
  const mine = agreements.items.filter((a) => isAdmin || owned.has(domains.get(a.provider.dataProduct) ?? ''));
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
      {mine.length === 0 && !agreements.more && <Text>Nothing here.</Text>}
      {mine.map((a) => (
        <AgreementCard key={a.id} agreement={a} onChange={agreements.reload} />
      ))}
      <Text size="sm" aria-live="polite" data-testid="inbox-count">
        {mine.length} shown{isAdmin ? '' : ` of ${agreements.items.length} read`}
        {agreements.more ? '; more to load' : ''}
      </Text>
      {agreements.more && (
        <Button variant="light" onClick={agreements.loadMore} loading={agreements.loading} style={{ alignSelf: 'start' }}>
          Load {AGREEMENTS_PAGE} more
        </Button>
      )}
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
