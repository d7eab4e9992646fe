/**
 * Where a V8 CPU profile's time went, by owner: a package in node_modules, one of our src/ folders, a
 * Node.js internal module, or V8's own buckets (GC, idle, program). Self time only, so every sample is
 * counted once. Run: `npx ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top N functions]`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The owner of a frame: `fastify`, `@nestjs/core`, `src/features`, `node:internal/...`, `(garbage collector)`. */
function ownerOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return `src/${url.slice(src + 5).split('/')[0]}`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/([^/]+).*$/, 'node:$1');
  return url.replace(/^.*\//, '');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const owner = ownerOf(url, functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${owner}:${lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
  console.log(`profile ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(2)} s (${((100 * busy) / total).toFixed(0)} % of samples); shares of busy time:\n`);
  console.log('| owner | self time | share |\n| --- | ---: | ---: |');
  for (const [owner, us] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`| ${owner} | ${(us / 1000).toFixed(0)} ms | ${pct(us)} |`);
  console.log('\n| function | self time | share |\n| --- | ---: | ---: |');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`| ${fn.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(0)} ms | ${pct(us)} |`);
}

main();
