import { chromium } from 'playwright-core';
import { loadModel, TesseraClient as ModelClient, type LocalPrediction } from '../packages/client/src/index';
import { CHROMIUM, CHROMIUM_FLAGS, openHybridPage, type BrowserScore } from './hybrid-page';

/**
 * Used by `npm run client:score` and the tour. `npm run client:score -- <model> <id,id,…> [--join-key driver_id] [--browser]`: the model scored by
 * packages/client in this process (onnxruntime-node), or with --browser in headless Chromium
 * (onnxruntime-web), features read from the service. TESSERA_URL and TESSERA_API_KEY as for the CLI.
 */
export async function scoreInProcess(baseUrl: string, key: string | undefined, model: string, entities: Record<string, unknown[]>): Promise<LocalPrediction> {
  const local = await loadModel(new ModelClient({ baseUrl, apiKey: key }), model);
  try {
    return await local.predict(entities);
  } finally {
    await local.release();
  }
}

export async function scoreInBrowser(baseUrl: string, key: string, model: string, entities: Record<string, unknown[]>, root = process.cwd()): Promise<BrowserScore & { foreign: string[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  try {
    const hybrid = await openHybridPage(browser, baseUrl, root);
    const answer = await hybrid.score(key, model, entities);
    return { ...answer, foreign: hybrid.foreign };
  } finally {
    await browser.close();
  }
}
