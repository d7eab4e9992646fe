/**
 * A small closed-loop HTTP load generator (autocannon is not installed): `connections` keep-alive
 * connections, each sending the next request as soon as the previous answer has been read in full.
 * It runs in a worker thread so the client's event loop never shares a turn with the server's;
 * both still share the machine's cores, identically for every target measured.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, used round-robin across all connections. */
  bodies: string[];
  connections: number;
  /** Stop after this long (ms) or after maxRequests, whichever comes first. */
  durationMs: number;
  maxRequests: number;
  /** Requests sent (and discarded) before measuring. */
  warmupRequests: number;
  /** GET sends no body (`bodies` is then ignored); POST by default. */
  method?: 'GET' | 'POST';
  /** Paced: at most this many requests per second over all connections (a late request goes at once); unpaced by default. */
  ratePerSec?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSec: number;
  p50: number;
  p99: number;
  /** Response bytes of the first measured request. */
  responseBytes: number;
  /** CPU time of the calling thread (the server's, when it runs there) per measured request, µs (threadCpuMs). */
  cpuUsPerRequest?: number;
}

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const o = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
const target = new URL(o.url);
let next = 0;
const method = o.method || 'POST';
function once() {
  const body = method === 'GET' ? '' : o.bodies[next++ % o.bodies.length];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method,
      headers: method === 'GET' ? o.headers : { ...o.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: res.statusCode === 200, bytes }));
    });
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, ok: false, bytes: 0 }));
    if (method === 'GET') req.end(); else req.end(body);
  });
}
(async () => {
  for (let i = 0; i < o.warmupRequests; i++) await once();
  parentPort.postMessage({ measuring: true });
  const times = [];
  let errors = 0, responseBytes = 0, sent = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + o.durationMs;
  const interval = o.ratePerSec ? 1000 / o.ratePerSec : 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: o.connections }, async () => {
    while (sent < o.maxRequests && Date.now() < deadline) {
      const due = t0 + sent * interval;
      sent++;
      if (interval && due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const r = await once();
      if (!r.ok) errors++;
      else if (!responseBytes) responseBytes = r.bytes;
      times.push(r.ms);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  parentPort.postMessage({ times, errors, seconds, responseBytes });
})().catch((e) => { throw e; });
`;

/**
 * CPU time (user + system, ms) of the thread calling this, from /proc: the server's thread when the
 * server runs in the calling thread (the client is a worker thread of its own). Unlike requests per
 * second it does not fall when other processes take the cores; it still grows a little under load
 * (cache misses, descheduling inside the kernel). Undefined where /proc is absent.
 */
export function threadCpuMs(): number | undefined {
  try {
    // The main thread's task id is the process id; fields 14 and 15 (after the command in parentheses) are utime and stime in ticks.
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux (getconf CLK_TCK)

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: o });
    w.once('error', reject);
    let cpu0: number | undefined;
    w.on('message', (m: { measuring?: true; times: number[]; errors: number; seconds: number; responseBytes: number }) => {
      if (m.measuring) {
        cpu0 = threadCpuMs();
        return;
      }
      const cpu1 = threadCpuMs();
      const sorted = m.times.sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
      const cpuUsPerRequest = cpu0 !== undefined && cpu1 !== undefined && sorted.length > 0 ? ((cpu1 - cpu0) * 1000) / sorted.length : undefined;
      resolve({ requests: sorted.length, errors: m.errors, seconds: m.seconds, perSec: sorted.length / m.seconds, p50: at(50), p99: at(99), responseBytes: m.responseBytes, cpuUsPerRequest });
      void w.terminate();
    });
  });
}
