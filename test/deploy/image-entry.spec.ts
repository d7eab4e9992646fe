import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ensurePortalBuilt } from '../support/portal-build';
import { copiesOf, envOf, execForm, finalStage, healthcheckOf, instructions, last, readDockerfile, workdirOf } from '../support/dockerfile';
import { exited, freePort, stopProcess, until } from '../support/local-processes';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * No Docker engine runs here, so the image is checked in two halves: its Dockerfile is parsed and its
 * invariants asserted (multi-stage, production dependencies only, no package manager or compiler in the
 * final stage, non-root numeric user, exec-form CMD, HEALTHCHECK on /health), and then its application
 * folder is laid out as the final stage's COPY lines say, made read-only, and the image's CMD is run
 * from it with the image's ENV, as its USER (setpriv, when the tests run as root), exactly as the
 * container would: /health, /ready, the HEALTHCHECK command and SIGTERM are checked on that process.
 * Where this differs from the container: node_modules is the clone's (dev dependencies included; the
 * production-only install is the Dockerfile's `deps` stage), and Node.js is the one running the tests.
 */
const dockerfile = readDockerfile();
const runtime = finalStage(dockerfile);
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

interface ComposeService {
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  read_only?: boolean;
  restart?: string;
  image?: string;
  build?: unknown;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}

describe('the Dockerfile', () => {
  it('builds in stages and the final one starts from a Node.js LTS image (22 or 24)', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    expect(runtime.from).toMatch(/^node:(22|24)[.\d]*-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/);
    // One base for every stage: native modules built in `deps` match the runtime's Node ABI and libc.
    expect(new Set(dockerfile.stages.map((s) => s.from))).toEqual(new Set([runtime.from]));
  });

  it('installs production dependencies only for the image, and compiles in a stage the image does not keep', () => {
    const copies = copiesOf(runtime);
    const nodeModules = copies.find((c) => c.dest.replace(/^\.\//, '') === 'node_modules')!;
    const depsStage = dockerfile.stages.find((s) => s.name === nodeModules.from)!;
    const installs = instructions(depsStage, 'RUN').map((r) => r.args);
    expect(installs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(installs.some((r) => /npm run build/.test(r))).toBe(false);
    // Everything else comes out of other stages, never the raw build context (no sources, no .git, no tests).
    for (const c of copies) {
      if (c.from === undefined) expect(c.sources).toEqual(['package.json']);
      else expect(dockerfile.stages.map((s) => s.name)).toContain(c.from);
    }
    expect(copies.some((c) => c.from === undefined && c.sources.includes('.'))).toBe(false);
  });

  it('leaves no package manager and no compiler in the final stage', () => {
    const runs = instructions(runtime, 'RUN').map((r) => r.args);
    expect(runs.some((r) => /\bnpm (ci|install)|apt-get install|\bmake\b|\bgcc\b/.test(r))).toBe(false);
    expect(runs.join(' ')).toMatch(/rm -rf .*\/usr\/local\/lib\/node_modules\/npm/);
    expect(runs.join(' ')).toMatch(/\/usr\/local\/bin\/npx/);
  });

  it('runs as a numeric non-root user, with an exec-form CMD so node itself receives SIGTERM', () => {
    expect(last(runtime, 'USER')?.args).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(last(runtime, 'ENTRYPOINT')).toBeUndefined();
    expect(execForm(last(runtime, 'CMD')!.args)).toEqual(['node', 'dist/src/main.js']);
    expect(last(runtime, 'STOPSIGNAL')?.args ?? 'SIGTERM').toBe('SIGTERM');
  });

  it('checks its health on /health with an exec-form command', () => {
    const hc = healthcheckOf(runtime)!;
    expect(hc.command?.[0]).toBe('node');
    expect(hc.command?.join(' ')).toMatch(/\/health/);
    expect(hc.options.get('start-period')).toBeDefined();
  });

  it('keeps writable state out of the application folder (a volume for the data directory)', () => {
    const env = envOf(runtime);
    const dataDir = env.get('TESSERA_DATA_DIR')!;
    expect(dataDir.startsWith('/')).toBe(true);
    expect(dataDir.startsWith(workdirOf(runtime))).toBe(false);
    expect(last(runtime, 'VOLUME')?.args).toContain(dataDir);
  });

  it('has a .dockerignore keeping local state, secrets and installed modules out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const entry of ['.git', '**/node_modules', 'dist', '.tessera', '**/admin-key', '**/pii-secret', '.env']) expect(ignored).toContain(entry);
    // What the build stage compiles must stay in the context.
    for (const needed of ['src', 'migrations', 'scripts', 'web', 'contracts', 'package.json', 'package-lock.json']) expect(ignored).not.toContain(needed);
  });
});

describe('docker-compose.yml', () => {
  const s = compose.services;

  it('runs Tessera from the image with PostgreSQL, Redis and NATS, migrations first in a one-shot service', () => {
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['postgres', 'redis', 'nats', 'migrate', 'tessera', 'example-mesh']));
    expect(s.migrate.command).toEqual(['node', 'dist/src/migrate.js']);
    expect(s.migrate.restart).toBe('no');
    expect(s.tessera.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(s.tessera.command).toBeUndefined(); // the image's CMD
    for (const name of ['migrate', 'tessera', 'example-mesh']) {
      expect(s[name].read_only).toBe(true);
      expect(s[name].image).toBe(s.tessera.image);
      expect(s[name].environment?.DATABASE_URL).toMatch(/^postgres:\/\/tessera:[^@]+@postgres:5432\/tessera$/);
    }
    expect(s.tessera.environment?.NATS_URL).toBe('nats://nats:4222');
  });

  it('applies the example mesh only under its profile, once Tessera is healthy', () => {
    expect(s['example-mesh'].profiles).toEqual(['example']);
    expect(s['example-mesh'].depends_on?.tessera).toEqual({ condition: 'service_healthy' });
    expect(s['example-mesh'].entrypoint?.join(' ')).toMatch(/tessera\.js apply contracts/);
    for (const name of ['postgres', 'redis', 'nats', 'migrate', 'tessera']) expect(s[name].profiles).toBeUndefined();
  });
});

/** Every file's path, size and modification time: equal before and after means nothing was written. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      const st = lstatSync(full);
      out.push(`${full.slice(root.length)} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(full);
    }
  };
  walk(root);
  return out.sort();
}

/** chmod a-w over the tree, not through symlinks (node_modules is the clone's, linked in). */
function makeReadOnly(dir: string): void {
  const st = lstatSync(dir);
  // node_modules is the clone's (a symlink, or hard links sharing its files' modes): never chmod through it.
  if (st.isSymbolicLink() || dir.endsWith('/node_modules')) return;
  if (st.isDirectory()) for (const e of readdirSync(dir)) makeReadOnly(join(dir, e));
  chmodSync(dir, st.mode & 0o555);
}

/** Undoes makeReadOnly so the folder can be removed (again never through node_modules). */
function makeWritable(dir: string): void {
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || dir.endsWith('/node_modules')) return;
  chmodSync(dir, st.mode | 0o200);
  if (st.isDirectory()) for (const e of readdirSync(dir)) makeWritable(join(dir, e));
}

describe('the image entry command, run as the container runs it', () => {
  const asRoot = process.getuid?.() === 0;
  const [uid, gid] = last(runtime, 'USER')!.args.split(':').map(Number);
  const workdir = workdirOf(runtime);
  const imageEnv = envOf(runtime);
  let root: string;
  let appDir: string;
  let dataDir: string;
  let db: TestDatabase;
  let port: number;

  beforeAll(async () => {
    // What the build stage makes: the compiled service (incremental, seconds when up to date) and the portal.
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
    ensurePortalBuilt();
    root = mkdtempSync(join(tmpdir(), 'tessera-image-'));
    chmodSync(root, 0o755);
    appDir = join(root, 'app');
    dataDir = join(root, 'data');
    mkdirSync(appDir);
    mkdirSync(dataDir);
    // The volume is the service user's, as the image's `chown` leaves it.
    if (asRoot) chownSync(dataDir, uid, gid);
    for (const copy of copiesOf(runtime)) {
      const stage = dockerfile.stages.find((st) => st.name === copy.from);
      for (const source of copy.sources) {
        // A path inside another stage maps back to the clone through that stage's WORKDIR.
        const inClone = stage ? source.replace(new RegExp(`^${workdirOf(stage)}/?`), '') : source;
        const target = copy.dest.endsWith('/') || copy.dest === './' ? join(appDir, copy.dest, inClone.split('/').at(-1)!) : join(appDir, copy.dest);
        mkdirSync(dirname(target), { recursive: true });
        if (inClone === 'node_modules') linkNodeModules(target);
        else cpSync(inClone, target, { recursive: true });
      }
    }
    makeReadOnly(appDir);
    db = await createTestDatabase();
    port = await freePort();
  }, 300_000);

  afterAll(async () => {
    if (root) {
      chmodSync(root, 0o755);
      makeWritable(appDir);
      rmSync(root, { recursive: true, force: true });
    }
    await db?.drop();
  });

  /**
   * The clone's node_modules, linked in (copying 900 MB per run would dominate the test). When the image
   * user cannot reach the clone (a checkout under a 0700 home), a tree of hard links in the temporary
   * folder instead: same files, reached through directories of its own.
   */
  function linkNodeModules(target: string): void {
    const probe = resolve('node_modules', 'pg', 'package.json');
    const readable = !asRoot || spawnSyncAs(['node', '-e', `require('fs').accessSync(${JSON.stringify(probe)}, require('fs').constants.R_OK)`]) === 0;
    if (readable) symlinkSync(resolve('node_modules'), target);
    else execFileSync('cp', ['-al', resolve('node_modules'), target]);
  }

  /** The container's environment: the image's ENV with its paths mapped onto the copy, then what compose/Kubernetes give it. */
  const containerEnv = (given: Record<string, string>): Record<string, string> => {
    const env: Record<string, string> = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` };
    for (const [k, v] of imageEnv) env[k] = v.replace(envOf(runtime).get('TESSERA_DATA_DIR')!, dataDir).replace(new RegExp(`^${workdir}`), appDir);
    return { ...env, PORT: String(port), ...given };
  };

  /** argv as the container would exec it, `node` being this Node.js; as the image's USER when we can switch to it. */
  const containerSpawn = (argv: string[], env: Record<string, string>) => {
    const [cmd, ...args] = argv;
    const exe = cmd === 'node' ? process.execPath : cmd;
    const full = asRoot ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', exe, ...args] : [exe, ...args];
    return spawn(full[0], full.slice(1), { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  };

  const run = async (argv: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> => {
    const p = containerSpawn(argv, env);
    let output = '';
    p.stdout.on('data', (b: Buffer) => (output += b.toString()));
    p.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const { code } = await exited(p);
    return { code, output };
  };

  it('the application folder is not writable by the image user', () => {
    const probe = join(appDir, 'dist', 'probe');
    if (asRoot) {
      const r = spawnSyncAs(['node', '-e', `require('fs').writeFileSync(${JSON.stringify(probe)}, 'x')`]);
      expect(r).not.toBe(0);
    } else {
      expect(() => writeFileSync(probe, 'x')).toThrow(/EACCES/);
    }
    expect(existsSync(probe)).toBe(false);
  });

  function spawnSyncAs(argv: string[]): number {
    try {
      execFileSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', process.execPath, ...argv.slice(1)], { stdio: 'ignore' });
      return 0;
    } catch (err) {
      return (err as { status: number }).status;
    }
  }

  it('migrates once (the compose migrate command), serves /health and /ready, passes its HEALTHCHECK, takes the example mesh (compose profile) and exits 0 on SIGTERM, writing only to its volume', async () => {
    const given = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', TESSERA_REDIS_PREFIX: `t:image:${port}:`, TESSERA_SLO_SCHEDULE: 'off', TESSERA_QUALITY_SCHEDULE: 'off' };
    const env = containerEnv(given);
    const before = snapshot(appDir);

    const migrate = await run(compose.services.migrate.command!, env);
    expect({ code: migrate.code, tail: migrate.output.slice(-500) }).toEqual({ code: 0, tail: expect.stringMatching(/migrations up to date: \d+ applied/) as string });

    const proc = containerSpawn(execForm(last(runtime, 'CMD')!.args)!, env);
    let output = '';
    proc.stdout.on('data', (b: Buffer) => (output += b.toString()));
    proc.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const end = exited(proc);
    try {
      const base = `http://127.0.0.1:${port}`;
      await until('the image entry command to answer /health', async () => proc.exitCode !== null || (await fetch(`${base}/health`)).ok, 120_000, 250).catch((err: Error) => {
        throw new Error(`${err.message}\n${output.slice(-3000)}`);
      });
      if (proc.exitCode !== null) throw new Error(`the entry command exited (${proc.exitCode}):\n${output.slice(-3000)}`);
      if (asRoot) expect(readFileSync(`/proc/${proc.pid}/status`, 'utf8')).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s`, 'm'));
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', onlineStore: 'ok' } });

      const hc = await run(healthcheckOf(runtime)!.command!, env);
      expect(hc.code).toBe(0);

      // No admin key was given: the service generated one into its volume (never the application folder), and it works.
      const key = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
      const gql = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ domains { name } }' }) });
      expect(gql.status).toBe(200);
      expect(await gql.json()).toEqual({ data: { domains: [] } });
      expect(statSync(join(dataDir, 'admin-key')).uid).toBe(asRoot ? uid : process.getuid?.());

      // The compose `example` profile: its entrypoint (compose's `$$` unescaped, the volume mapped) applies contracts/ with that key.
      const [shell, flag, script] = compose.services['example-mesh'].entrypoint!;
      const example = await run([shell, flag, script.replace(/\$\$/g, '$').replaceAll(envOf(runtime).get('TESSERA_DATA_DIR')!, dataDir)], { ...env, TESSERA_URL: base });
      expect({ code: example.code, output: example.output.slice(-1000) }).toEqual({ code: 0, output: expect.stringMatching(/created \d+, updated \d+, unchanged \d+/) as string });
      const domains = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ domains { name } }' }) });
      expect(await domains.json()).toEqual({ data: { domains: [{ name: 'payments' }, { name: 'rides' }, { name: 'risk' }] } });

      const signalled = Date.now();
      proc.kill('SIGTERM');
      expect(await end).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(Number(env.TESSERA_SHUTDOWN_TIMEOUT_MS ?? 25_000));
      expect(output).toMatch(/SIGTERM: no new connections; draining requests in flight/);
      expect(output).toMatch(/"msg":"stopped"/);
    } finally {
      await stopProcess(proc, 'SIGKILL');
    }
    expect(snapshot(appDir)).toEqual(before);
  }, 240_000);
});
