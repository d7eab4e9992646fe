import { readContractDirectory } from '../../../src/catalog/apply/read-contract-directory';
import type { NormalizedPolicy } from '../../../src/catalog/contracts/documents/normalized-types';
import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';
import type { PolicyBindings } from '../../../src/governance/policies/cel-program';
import { policyBindings } from '../../../src/governance/policies/policy-context';
import type { ProductSnapshot } from '../../../src/catalog/apply/product-snapshot';
import { snapshotFromDocuments } from '../../../src/governance/policies/snapshot-from-documents';

/** Validated documents of YAML texts; throws on any error so a broken fixture fails loudly. */
export function load(...texts: string[]) {
  const parsed = parseContractFiles(texts.map((content, i) => ({ path: `fixture-${i}.yaml`, content })));
  const v = validateDocuments(parsed.docs);
  const errors = [...parsed.issues, ...v.issues].filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`fixture invalid: ${JSON.stringify(errors)}`);
  return v.documents;
}

export function defaultPolicies(): NormalizedPolicy[] {
  const parsed = parseContractFiles(readContractDirectory('contracts/policies'));
  const v = validateDocuments(parsed.docs);
  const errors = [...parsed.issues, ...v.issues].filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`default policies invalid: ${JSON.stringify(errors)}`);
  return v.documents.filter((d) => d.kind === 'Policy').map((d) => d.value);
}

export function snapshotOf(product: string, ...contracts: string[]): ProductSnapshot {
  const docs = load(product, ...contracts);
  const p = docs.find((d) => d.kind === 'DataProduct')!.value;
  return snapshotFromDocuments(
    p,
    docs.filter((d) => d.kind === 'DataContract').map((d) => d.value),
  );
}

export const bindingsOf = (product: string, ...contracts: string[]): PolicyBindings => policyBindings(snapshotOf(product, ...contracts));

export interface ProductOver {
  team?: string;
  purpose?: string;
  support?: string;
  containsPii?: boolean;
  autoApprove?: boolean;
  contractId?: string | null;
}

/** A compliant product; each override breaks one default policy. */
export const product = (o: ProductOver = {}): string => `
apiVersion: v1.0.0
kind: DataProduct
id: shop-orders
name: Shop orders
domain: shop
status: active
version: 1.0.0
description:
  purpose: ${o.purpose ?? 'Every order of the web shop, one row per order.'}
${
  o.team ??
  `team:
  name: shop-team
  members:
    - username: ada
      role: owner`
}
${
  o.support ??
  `support:
  - channel: '#shop-data'
    url: https://example.slack.com/archives/C0SHOP
    tool: slack`
}
outputPorts:
  - name: orders
    version: 1.0.0
    type: table
${o.contractId === null ? '' : `    contractId: ${o.contractId ?? 'shop-orders-v1'}`}
    customProperties:
      - property: containsPii
        value: ${o.containsPii ?? false}
      - property: autoApprove
        value: ${o.autoApprove ?? true}
`;

export interface ContractOver {
  emailClassification?: string | null;
  emailPhysicalName?: string;
  tablePhysicalName?: string;
  sla?: string;
}

export const contract = (o: ContractOver = {}): string => `
apiVersion: v3.1.0
kind: DataContract
id: shop-orders-v1
version: 1.0.0
status: active
schema:
  - name: orders
    physicalName: ${o.tablePhysicalName ?? 'shop_orders'}
    properties:
      - name: order_id
        logicalType: integer
        classification: internal
      - name: customer_email
        physicalName: ${o.emailPhysicalName ?? 'customer_email'}
        logicalType: string
${o.emailClassification === null ? '' : `        classification: ${o.emailClassification ?? 'internal'}`}
${
  o.sla ??
  `slaProperties:
  - property: latency
    value: 1
    unit: h
  - property: availability
    value: 99.9`
}
`;
