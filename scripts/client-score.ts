import { scoreInBrowser, scoreInProcess } from './client-scoring';

/** `npm run client:score -- <model> <id,id,…> [--join-key driver_id] [--browser]` (see client-scoring.ts). */
async function main(argv: string[]): Promise<void> {
  const browser = argv.includes('--browser');
  const keyAt = argv.indexOf('--join-key');
  const joinKey = keyAt >= 0 ? argv[keyAt + 1] : 'driver_id';
  const [model, ids] = argv.filter((a, i) => !a.startsWith('--') && (keyAt < 0 || i !== keyAt + 1));
  if (!model || !ids) throw new Error('usage: npm run client:score -- <model> <id,id,…> [--join-key driver_id] [--browser]');
  const baseUrl = (process.env.TESSERA_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const key = process.env.TESSERA_API_KEY ?? process.env.TESSERA_ADMIN_KEY;
  const entities = { [joinKey]: ids.split(',').map((v) => (/^-?\d+$/.test(v) ? Number(v) : v)) };
  const answer = browser ? await scoreInBrowser(baseUrl, key ?? '', model, entities) : await scoreInProcess(baseUrl, key, model, entities);
  console.log(JSON.stringify(answer, null, 2));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
