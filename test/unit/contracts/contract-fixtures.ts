import path from 'node:path';
import { stringify } from 'yaml';
import type { ApplyIssue } from '../../../src/catalog/contracts/documents/apply-issue';
import type { NormalizedContract, NormalizedDocumentMap, ValidatedDocument } from '../../../src/catalog/contracts/documents/normalized-types';
import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';

/** Shared builders for the contract-documents specs: valid documents that each test breaks in one place. */
/** The official standards live next to the repo (`../shared/standards`), never inside it. */
export const STANDARDS_DIR = path.resolve(process.cwd(), '..', 'shared', 'standards');

export function product(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: 'rides-driver-stats',
    name: 'Driver stats',
    status: 'active',
    version: '1.0.0',
    domain: 'rides',
    outputPorts: [
      { name: 'hourly', version: '1.0.0', type: 'table', contractId: 'driver-hourly' },
      { name: 'daily', version: '1.0.0', type: 'tables', contractId: 'driver-daily' },
    ],
    ...overrides,
  };
}

export function contract(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'driver-hourly',
    version: '1.0.0',
    status: 'active',
    schema: [
      {
        name: 'driver_hourly',
        properties: [
          { name: 'driver_id', logicalType: 'integer', required: true, primaryKey: true },
          { name: 'event_timestamp', logicalType: 'timestamp', required: true },
          { name: 'conv_rate', logicalType: 'number' },
        ],
      },
    ],
    ...overrides,
  };
}

export function tessera(kind: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'tessera/v1', kind, ...fields };
}

export function featureView(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return tessera('FeatureView', {
    name: 'driver_hourly_stats',
    entities: ['driver'],
    source: { dataProduct: 'rides-driver-stats', outputPort: 'hourly' },
    timestampField: 'event_timestamp',
    features: ['conv_rate', 'acc_rate'],
    ...overrides,
  });
}

export interface CheckResult {
  documents: ValidatedDocument[];
  issues: ApplyIssue[];
  errors: ApplyIssue[];
  warnings: ApplyIssue[];
}

/** Parses and validates documents (objects are written as YAML, strings used verbatim). */
export function check(docs: (Record<string, unknown> | string)[], file = 'contracts/rides/doc.yaml'): CheckResult {
  const content = docs.map((d) => (typeof d === 'string' ? d : stringify(d))).join('\n---\n');
  const parsed = parseContractFiles([{ path: file, content }]);
  const validated = validateDocuments(parsed.docs);
  const issues = [...parsed.issues, ...validated.issues];
  return {
    documents: validated.documents,
    issues,
    errors: issues.filter((i) => i.severity === 'error'),
    warnings: issues.filter((i) => i.severity === 'warning'),
  };
}

/** The single normalized document of a valid one-document batch. */
export function valueOf<K extends ValidatedDocument['kind']>(
  doc: Record<string, unknown>,
  kind: K,
  file?: string,
): NormalizedDocumentMap[K] {
  const result = check([doc], file);
  expect(result.errors).toEqual([]);
  const found = result.documents.find((d): d is Extract<ValidatedDocument, { kind: K }> => d.kind === kind);
  if (!found) throw new Error(`no ${kind} document`);
  return found.value as NormalizedDocumentMap[K];
}

export function normalizedContract(overrides: Record<string, unknown> = {}): NormalizedContract {
  return valueOf(contract(overrides), 'DataContract');
}

/** Asserts an issue exists at exactly `path` whose message contains `text`. */
export function expectIssue(issues: ApplyIssue[], path: string, text: string, severity: ApplyIssue['severity'] = 'error'): void {
  const match = issues.find((i) => i.path === path && i.severity === severity && i.message.includes(text));
  if (!match) {
    throw new Error(`no ${severity} at "${path}" containing "${text}"; got:\n${JSON.stringify(issues, null, 2)}`);
  }
}
