import { readContractDirectory } from '../../src/catalog/apply/read-contract-directory';
import { ensurePortalBuilt } from '../support/portal-build';
import { expectAccessible, openPortalBrowser, personKey, PortalBrowser, signIn } from '../support/portal-browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Journey (e) of issue 12 in headless Chromium against the built portal: the risk domain's ML
 * engineer (its domain owner) deploys driver_risk 1.0.0, sends 30 % of entities to a 1.1.0 canary,
 * promotes it, then rolls back to 1.0.0 — all from the model page's deployment panel, which a
 * member without the right to deploy sees without its controls.
 */
function meshWithChallenger(): { path: string; content: string; encoding?: 'base64' }[] {
  const files = readContractDirectory('contracts');
  const model = files.find((f) => f.path.endsWith('driver_risk-1.0.0.yaml'))!;
  // The same ONNX bytes under a new version: a challenger is all the panel needs.
  return [...files, { path: model.path.replace('1.0.0.yaml', '1.1.0.yaml'), content: model.content.replace(/^version: 1\.0\.0$/m, 'version: 1.1.0') }];
}

describe('portal journey (e): an ML engineer sets a 30 % canary, promotes it and rolls back', () => {
  let t: TestApp;
  let pb: PortalBrowser;
  let owner: string;
  let member: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    t = await startTestApp({ TESSERA_REDIS_PREFIX: 't:portal-models:' });
    const applied = await t.app.inject({ method: 'POST', url: '/v1/contracts/apply', payload: { files: meshWithChallenger() } });
    expect(applied.json()).toMatchObject({ applied: true });
    owner = await personKey(t, 'omar', 'Omar (risk ML engineer, owner)', [{ role: 'domain_owner', domain: 'risk' }]);
    member = await personKey(t, 'mia', 'Mia (risk member)', [{ role: 'domain_member', domain: 'risk' }]);
    pb = await openPortalBrowser(t);
  }, 120_000);
  afterAll(async () => {
    await pb?.browser.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pb.foreign).toEqual([]);
    expect(pb.pageErrors).toEqual([]);
  });

  it('deploys, sets a 30 % canary, promotes it, rolls back; the history records each change', async () => {
    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, owner);
    await page.goto(`${pb.base}/models/driver_risk`);
    const panel = page.getByRole('region', { name: 'Deployment' });
    await panel.getByText(/Not deployed/).waitFor();
    const choose = async (version: string) => {
      await panel.getByLabel('Version').click();
      await page.getByRole('option', { name: version, exact: true }).click();
    };
    await choose('1.0.0');
    await panel.getByRole('button', { name: 'Deploy to production' }).click();
    const state = panel.getByTestId('deployment');
    await state.getByText('1.0.0', { exact: true }).waitFor();

    await choose('1.1.0');
    await panel.getByLabel('Canary share (%)').fill('30');
    await panel.getByRole('button', { name: 'Set canary' }).click();
    await state.getByText('Canary: 1.1.0 answers 30 % of entities').waitFor();
    await expectAccessible(page, 'model-deployment');
    const served = await t.gql<{ deployment: { production: string; canary: { version: string; percent: number } } }>(`{ deployment(name: "driver_risk") { production canary { version percent } } }`);
    expect(served.data!.deployment).toEqual({ production: '1.0.0', canary: { version: '1.1.0', percent: 30 } });

    await panel.getByRole('button', { name: 'Promote canary' }).click();
    await state.getByText('Canary: none').waitFor();
    await state.getByText('Rollback goes to: 1.0.0').waitFor();
    expect(await state.getByText('1.1.0', { exact: true }).count()).toBe(1);

    await panel.getByRole('button', { name: 'Roll back to 1.0.0' }).click();
    await state.getByText(/Rollback goes to: nothing/).waitFor();
    expect(await state.getByText('1.0.0', { exact: true }).count()).toBe(1);
    const history = panel.getByRole('table', { name: 'Deployment history' });
    await history.getByText('rollback').waitFor();
    const actions = await history.locator('tbody tr td:nth-child(2)').allInnerTexts();
    expect(actions).toEqual(['rollback', 'promote_canary', 'set_canary', 'deploy']);
    expect((await t.gql<{ deployment: { production: string; canary: null } }>(`{ deployment(name: "driver_risk") { production canary { version } } }`)).data!.deployment).toEqual({
      production: '1.0.0',
      canary: null,
    });
    await ctx.close();
  }, 120_000);

  it('lineage controls: direction, depth, collapse by domain, find a node', async () => {
    const ctx = await pb.context();
    const page = await ctx.newPage();
    await signIn(page, pb.base, member);
    await page.goto(`${pb.base}/lineage/rides-driver-stats`);
    const nodes = page.getByRole('list', { name: 'Lineage nodes' });
    await nodes.getByRole('link', { name: 'model driver_risk' }).waitFor();
    const status = page.getByRole('status');
    await page.getByLabel('Find a node').fill('driver_risk');
    await status.getByText(/found model driver_risk/).waitFor();
    await page.locator('.react-flow__node.selected', { hasText: 'model driver_risk' }).waitFor();
    // Upstream only: the feature view and the model downstream leave the graph.
    await page.locator('label', { hasText: /^Upstream$/ }).click();
    await nodes.getByRole('link', { name: 'model driver_risk' }).waitFor({ state: 'detached' });
    await nodes.getByRole('link', { name: 'Rides trips' }).waitFor();
    await page.getByLabel('Depth').fill('1');
    await page.locator('label', { hasText: /^Both$/ }).click();
    await page.getByLabel('Collapse by domain').check();
    await nodes.getByText(/^domain rides \(\d+\)$/).waitFor();
    await nodes.getByText(/^domain risk \(\d+\)$/).waitFor();
    await expectAccessible(page, 'lineage-controls');
    await ctx.close();
  }, 60_000);

  it('shows the deployment without controls to a member who may not deploy, at 390×844 too', async () => {
    const ctx = await pb.context({ width: 390, height: 844 });
    const page = await ctx.newPage();
    await signIn(page, pb.base, member);
    await page.goto(`${pb.base}/models/driver_risk`);
    const panel = page.getByRole('region', { name: 'Deployment' });
    await panel.getByTestId('deployment').getByText('Production 1.0.0').waitFor();
    expect(await panel.getByRole('button').count()).toBe(0);
    await expectAccessible(page, 'model-deployment-narrow');
    await ctx.close();
  }, 60_000);
});
