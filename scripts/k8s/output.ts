import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { K8sObject } from './pod';
import { DEFAULT_VALUES, K8sValues } from './values';

export const RENDERED_HEADER = '# Rendered by `npm run k8s:render` from scripts/k8s (ADR 0029); do not edit by hand.\n';

/** One file's objects as a multi-document YAML stream. */
export function toYaml(objects: K8sObject[]): string {
  return RENDERED_HEADER + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** The defaults with a JSON values file laid over them, one top-level key at a time; the image tag defaults to the package version. */
export function valuesFrom(file: string | undefined, version: string): K8sValues {
  const overrides = file ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<K8sValues>) : {};
  return { ...DEFAULT_VALUES, imageTag: version, ...overrides };
}

export const packageVersion = (): string => (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
