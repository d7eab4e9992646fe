import semver from 'semver';
import type { NormalizedContract, NormalizedProperty } from '../../catalog/contracts/documents/normalized-types';
import type { ProductSnapshot } from '../../catalog/apply/product-snapshot';
import type { PolicyBindings } from './cel-program';

/** Classifications that make a property personal or restricted data (ports carrying them count as PII). */
export const PII_CLASSIFICATIONS = ['pii', 'restricted', 'sensitive', 'personal'];

type Json = Record<string, unknown>;

/**
 * The CEL variables of a policy rule, built from a product snapshot. Absent strings are '' and
 * absent lists [] so rules need no null checks; the only null is `port.contract` (no contract).
 * Reference: docs/adr/0010-policies-as-code.md ("Rule variables").
 */
export function policyBindings(s: ProductSnapshot): PolicyBindings {
  const p = s.product;
  const team = p.team ?? { name: null, description: null, members: [] };
  const members = team.members.map((m) => ({ username: m.username, name: m.name ?? '', role: m.role ?? '' }));
  const owner = members.find((m) => m.role.toLowerCase().includes('owner'))?.username ?? '';
  const properties: Json[] = [];
  const ports = s.outputPorts.map((port, i) => {
    const contract = port.contractId ? s.contracts[port.contractId] : undefined;
    const view = contract ? contractView(contract, port.name, properties) : null;
    const piiProperties = view ? (view.properties as Json[]).filter((x) => PII_CLASSIFICATIONS.includes(String(x.classification).toLowerCase())).length : 0;
    return {
      name: port.name,
      version: port.version,
      type: port.type ?? '',
      contractId: port.contractId ?? '',
      containsPii: port.containsPii,
      autoApprove: port.autoApprove,
      description: port.description ?? '',
      path: `outputPorts[${i}]`,
      hasContract: view !== null,
      hasPiiProperties: piiProperties > 0,
      contract: view,
    };
  });
  const contracts: Record<string, unknown> = {};
  for (const port of ports) if (port.contract) contracts[port.name] = port.contract; // newest version of a port wins
  return {
    product: {
      id: p.id,
      name: p.name,
      domain: p.domain,
      status: p.status,
      version: p.version ?? '',
      type: p.type ?? '',
      description: { purpose: p.purpose ?? '', limitations: p.limitations ?? '', usage: p.usage ?? '' },
      tags: p.tags,
      owner,
      team: { name: team.name ?? '', members },
      support: p.support.map((x) => ({ channel: x.channel, url: x.url ?? '', tool: x.tool ?? '', scope: x.scope ?? '' })),
      inputPorts: s.inputPorts.map((i) => ({ ...i })),
    },
    ports,
    contracts,
    properties,
    changes: s.changes.map((c) => ({
      contractId: c.contractId,
      ports: s.outputPorts.filter((o) => o.contractId === c.contractId).map((o) => o.name),
      version: c.version,
      previousVersion: c.previousVersion ?? '',
      impact: c.impact,
      majorBumped: majorBumped(c.previousVersion, c.version),
    })),
  };
}

function contractView(c: NormalizedContract, port: string, all: Json[]): Json {
  const properties: Json[] = [];
  const objects = c.schema.map((o, i) => {
    const base = `schema[${i}]`;
    walk(o.properties, `${base}.properties`, '', (prop, path, qualified) => {
      properties.push({
        port,
        contractId: c.id,
        object: o.name,
        name: qualified,
        element: `${o.name}.${qualified}`,
        physicalName: prop.physicalName ?? prop.name,
        logicalType: prop.logicalType ?? '',
        classification: prop.classification ?? '',
        required: prop.required,
        primaryKey: prop.primaryKey,
        path: `${c.id}#${path}`,
      });
    });
    return { name: o.name, physicalName: o.physicalName ?? o.name, path: `${c.id}#${base}` };
  });
  all.push(...properties);
  const sla: Record<string, unknown> = {};
  for (const x of c.slaProperties) sla[x.property.toLowerCase()] = x.value;
  return {
    id: c.id,
    version: c.version,
    status: c.status,
    objects,
    properties,
    slaProperties: c.slaProperties.map((x) => ({ property: x.property, value: x.value, unit: x.unit ?? '' })),
    sla,
    classifications: [...new Set(properties.map((x) => x.classification as string).filter((x) => x !== ''))],
    support: c.support.map((x) => ({ channel: x.channel, url: x.url ?? '', tool: x.tool ?? '', scope: x.scope ?? '' })),
  };
}

/** Depth-first over nested object fields and array items; `name` is dotted (address.city). */
function walk(props: NormalizedProperty[], path: string, prefix: string, visit: (p: NormalizedProperty, path: string, name: string) => void): void {
  props.forEach((prop, i) => {
    const here = `${path}[${i}]`;
    const name = prefix ? `${prefix}.${prop.name}` : prop.name;
    visit(prop, here, name);
    if (prop.properties.length > 0) walk(prop.properties, `${here}.properties`, name, visit);
    if (prop.items && prop.items.properties.length > 0) walk(prop.items.properties, `${here}.items.properties`, name, visit);
  });
}

function majorBumped(previous: string | null, version: string): boolean {
  if (previous === null) return true;
  const a = semver.coerce(previous);
  const b = semver.coerce(version);
  return a !== null && b !== null && b.major > a.major;
}
