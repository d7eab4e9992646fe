import { Alert, Button, Checkbox, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import { gql } from '../lib/api';
import { useAction } from '../lib/use-action';
import { Failure } from './Failure';

const RequestAccessMutation = graphql(`
  mutation RequestAccess($input: AccessRequestInput!) {
    requestAccess(input: $input) {
      id
      status
      decidedBy
    }
  }
`);

interface Port {
  name: string;
  containsPii?: boolean | null;
}

/** Ninety days from today, as the date input's value: a sensible default end date. */
const defaultEnd = (): string => new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

/** "Request access" to one of a product's output ports: purpose and end date; the owning domain decides (or auto-approval). */
export function RequestAccess({ product, ports }: { product: string; ports: Port[] }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [port, setPort] = useState<string | null>(ports[0]?.name ?? null);
  const [purpose, setPurpose] = useState('');
  const [endDate, setEndDate] = useState(defaultEnd);
  const [pii, setPii] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const action = useAction();
  const chosen = ports.find((p) => p.name === port);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!port) return;
    // The end of the chosen day, UTC: the agreement covers that whole day.
    const end = new Date(`${endDate}T23:59:59.000Z`).toISOString();
    await action.run(async () => {
      const { requestAccess: a } = await gql(RequestAccessMutation, { input: { dataProduct: product, outputPort: port, purpose, endDate: end, piiAccess: pii && !!chosen?.containsPii } });
      setOutcome(a.status === 'approved' ? `Approved at once (${a.decidedBy ?? 'auto-approve'}).` : `Requested: the owners of ${product} decide. Agreement ${a.id}.`);
      close();
    });
  };
  if (ports.length === 0) return null;
  return (
    <>
      <Group>
        <Button variant="light" onClick={open}>
          Request access
        </Button>
      </Group>
      {outcome && (
        <Alert color="blue" title="Access request" role="status">
          {outcome}
        </Alert>
      )}
      <Modal opened={opened} onClose={close} title={`Request access to ${product}`} closeButtonProps={{ 'aria-label': 'Close' }}>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Select label="Output port" data={ports.map((p) => ({ value: p.name, label: p.containsPii ? `${p.name} (PII)` : p.name }))} value={port} onChange={setPort} allowDeselect={false} />
            <Textarea label="Purpose" required value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)} autosize minRows={2} />
            <TextInput label="End date" type="date" required value={endDate} onChange={(e) => setEndDate(e.currentTarget.value)} min={new Date().toISOString().slice(0, 10)} />
            {chosen?.containsPii && <Checkbox label="Personal data in clear (otherwise masked)" checked={pii} onChange={(e) => setPii(e.currentTarget.checked)} />}
            {action.error && <Failure error={action.error} />}
            <Group justify="end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={action.busy}>
                Send request
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
