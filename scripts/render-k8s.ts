import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderManifests } from './k8s/manifests';
import { packageVersion, toYaml, valuesFrom } from './k8s/output';

/**
 * `npm run k8s:render [-- --values my-values.json] [--out dir]`: writes Tessera's Kubernetes manifests
 * (ADR 0029) into deploy/k8s, one file per apply step. A values file is JSON, laid over the defaults
 * in scripts/k8s/values.ts one top-level key at a time. The committed deploy/k8s is the default render
 * (test/deploy/k8s-manifests.spec.ts fails when it drifts).
 */
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const out = flag('--out') ?? join('deploy', 'k8s');
const files = renderManifests(valuesFrom(flag('--values'), packageVersion()));
mkdirSync(out, { recursive: true });
for (const [name, objects] of Object.entries(files)) writeFileSync(join(out, name), toYaml(objects));
console.log(`wrote ${Object.keys(files).length} files to ${out}`);
