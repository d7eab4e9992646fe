import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useSession } from '../../lib/session';
import { AccessInbox } from './AccessInbox';
import { AuditTrail } from './AuditTrail';
import { PoliciesPanel } from './PoliciesPanel';
import { Scorecard } from './Scorecard';

/** Governance: policies and their review, the compliance scorecard, the access-request inbox, the audit trail; each tab only for who may read it. */
export function GovernancePage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tabs = [
    { value: 'policies', label: 'Policies', allowed: can('policies.read'), panel: <PoliciesPanel /> },
    { value: 'scorecard', label: 'Scorecard', allowed: can('policies.read'), panel: <Scorecard /> },
    { value: 'access', label: 'Access requests', allowed: can('agreements.approve'), panel: <AccessInbox /> },
    { value: 'audit', label: 'Audit trail', allowed: can('audit.read'), panel: <AuditTrail /> },
  ].filter((t) => t.allowed);
  if (tabs.length === 0) return <Text>Nothing in governance is open to you.</Text>;
  const current = tabs.find((t) => t.value === params.get('tab'))?.value ?? tabs[0].value;
  return (
    <Stack>
      <Title order={2}>Governance</Title>
      {/* The tab is in the URL: a deep link opens it, and back/forward move between tabs. */}
      <Tabs value={current} onChange={(v) => v && setParams({ tab: v })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            {t.panel}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
