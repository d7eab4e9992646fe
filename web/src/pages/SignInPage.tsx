import { Alert, Button, Center, Divider, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { rest } from '../lib/api';
import { useSession } from '../lib/session';

/** Why the identity provider's round trip failed, as the callback put it in the address. */
function callbackError(): string | undefined {
  return new URLSearchParams(window.location.search).get('signInError') ?? undefined;
}

/**
 * An API key, or the organisation's identity provider when the service has one configured: both end
 * in an httpOnly session cookie; this page never stores a key or a token.
 */
export function SignInPage() {
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(callbackError);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState(false);
  useEffect(() => {
    rest<{ oidc: boolean }>('GET', '/v1/session/options').then(
      (o) => setOidc(o.oidc),
      () => setOidc(false),
    );
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const here = `${window.location.pathname}${window.location.search.replace(/[?&]signInError=[^&]*/, '')}`;
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w={380} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Sign in to Tessera
          </Title>
          {error && (
            <Alert color="red" role="alert" title="Not signed in">
              {error}
            </Alert>
          )}
          {oidc && (
            <>
              <Button component="a" href={`/v1/session/oidc?returnTo=${encodeURIComponent(here)}`} variant="filled">
                Sign in with your organisation
              </Button>
              <Divider label="or with an API key" labelPosition="center" />
            </>
          )}
          <form onSubmit={(e) => void submit(e)}>
            <Stack>
              <Text size="sm">Paste your API key. It is exchanged for a session cookie and not kept by this page.</Text>
              <PasswordInput label="API key" value={key} onChange={(e) => setKey(e.currentTarget.value)} required autoFocus={!oidc} autoComplete="off" />
              <Button type="submit" loading={busy} variant={oidc ? 'default' : 'filled'}>
                Sign in
              </Button>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
