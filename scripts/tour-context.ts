import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runApplyCommand, type CommandResult } from '../src/cli/apply-command';
import type { HttpAnswer, TesseraClient } from './tessera-client';
import { fillTimes } from './tour-format';
import { TourRecorder } from './tour-recorder';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Gql = { data?: Json; errors?: { message: string; extensions?: Json }[] };
type Clip = { items?: number };

/** The online read of step 10, sent again without a key in step 15. */
export const ONLINE_REQUEST = { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [1001, 1003, 9999] } };

/** What every group of steps works with: the service, the printer, the answers so far, the clock. */
export interface TourContext {
  out: TourRecorder;
  admin: TesseraClient;
  /** Every step's answers, for test/e2e/tour.spec.ts. */
  r: Json;
  /** The tour's one instant: every relative time is taken from it, so a run is consistent whenever it starts. */
  now: () => number;
  root: string;
  /** A temporary directory for edited copies of the mesh (removed after the tour). */
  work: string;
  /** An examples/ file with its {{now-…}} times filled in. */
  example: (file: string) => string;
  gql: (query: string, variables?: Json, clip?: Clip) => Promise<Gql>;
  gqlAs: (client: TesseraClient, who: string | null, query: string, variables?: Json, clip?: Clip) => Promise<Gql>;
  /** POSTs, printing `shown` as the command and the answer. */
  post: (client: TesseraClient, shown: string, path: string, body: string | object, clip?: Clip) => Promise<HttpAnswer<Json>>;
  /** `tessera apply <dir>` against the service, as the CLI runs it. */
  cli: (dir: string, dryRun?: boolean) => Promise<CommandResult>;
}

export function createTourContext(o: { client: TesseraClient; root: string; print: (line: string) => void; started: number; work: string }): TourContext {
  const out = new TourRecorder(o.print);
  const admin = o.client;
  const now = () => o.started;
  const gqlAs: TourContext['gqlAs'] = async (client, who, query, variables, clip) => {
    out.shell(who === null ? `gql '${query}'` : `gql_as $${who} '${query}'`);
    const answer = await client.gql(query, variables);
    out.show(answer, clip);
    return answer;
  };
  return {
    out,
    admin,
    r: { startedAt: o.started },
    now,
    root: o.root,
    work: o.work,
    example: (file) => fillTimes(readFileSync(resolve(o.root, 'examples', file), 'utf8'), now()),
    gqlAs,
    gql: (query, variables, clip) => gqlAs(admin, null, query, variables, clip),
    async post(client, shown, path, body, clip) {
      out.shell(shown);
      const answer = await client.send<Json>('POST', path, body);
      out.show(answer.body, clip);
      return answer;
    },
    cli: (dir, dryRun = false) => runApplyCommand({ dir, url: admin.baseUrl, key: admin.key, dryRun, json: false }),
  };
}

/** Polls until `done` (the prediction log is written in batches, about once a second). */
export async function waitFor<T>(ask: () => Promise<T>, done: (answer: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > until) return answer;
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** Paths of the temporary copies as the README shows them. */
export function rebase(text: string, work: string): string {
  return text.split(work).join('/tmp/tour');
}
