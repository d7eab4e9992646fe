import { ActionIcon, AppShell, Burger, Button, Group, NavLink, Text, Title, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { CatalogSpotlight, openCatalogSpotlight } from './CatalogSpotlight';
import { useSession } from './lib/session';

const NAV = [
  { to: '/', label: 'Home' },
  { to: '/search', label: 'Search' },
  { to: '/features', label: 'Features' },
  { to: '/governance', label: 'Governance' },
  { to: '/design', label: 'Design' },
];

export function Layout({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { viewer, signOut } = useSession();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h3">
              Tessera
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button variant="default" size="xs" onClick={openCatalogSpotlight} aria-label="Search the catalog (Ctrl+K)">
              Search…{' '}
              <Text span c="dimmed" size="xs" ml={6} visibleFrom="sm">
                Ctrl+K
              </Text>
            </Button>
            <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')} aria-label={scheme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}>
              {scheme === 'dark' ? '☀' : '☾'}
            </ActionIcon>
            <Text size="sm" visibleFrom="sm" data-testid="viewer">
              {viewer?.displayName}
            </Text>
            <Button size="xs" variant="light" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.map((item) => (
          <NavLink key={item.to} component={Link} to={item.to} label={item.label} active={location.pathname === item.to} variant="filled" onClick={close} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <CatalogSpotlight />
    </AppShell>
  );
}
