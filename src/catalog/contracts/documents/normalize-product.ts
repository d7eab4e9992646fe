import { IssueSink, joinPath, preview } from './apply-issue';
import { NAME_PATTERN, findCustomProperty } from './common.schema';
import { normalizeDescription, normalizeSupport, normalizeTeam, objects, str, strings } from './normalize-common';
import { KnownOutputPortType, NormalizedDataProduct, NormalizedOutputPort, OUTPUT_PORT_TYPES } from './normalized-types';
import {
  AUTO_APPROVE_PROPERTY,
  CONTAINS_PII_PROPERTY,
  OdpsDocument,
  PRODUCT_TYPE_PROPERTY,
  ProductType,
} from './odps.schema';

export const DEFAULT_DOMAIN = 'default';

/** ODPS examples write `tables`; Tessera's vocabulary is singular. Matching ignores case. */
const PORT_TYPE_ALIASES: Record<string, KnownOutputPortType> = {
  tables: 'table',
  ...Object.fromEntries(OUTPUT_PORT_TYPES.map((t) => [t.toLowerCase(), t])),
};

export function normalizeProduct(
  doc: OdpsDocument,
  body: Record<string, unknown>,
  file: string,
  sink: IssueSink,
): NormalizedDataProduct {
  const typeProp = findCustomProperty(doc.customProperties, PRODUCT_TYPE_PROPERTY);
  return {
    id: doc.id,
    name: doc.name ?? doc.id,
    domain: doc.domain ?? domainFromPath(file) ?? DEFAULT_DOMAIN,
    status: doc.status,
    version: doc.version ?? null,
    type: typeProp ? (typeProp.value as ProductType) : null,
    description: normalizeDescription(doc.description),
    tags: strings(doc.tags),
    team: normalizeTeam(doc.team),
    inputPorts: objects(doc.inputPorts).map((p) => ({
      name: String(p.name),
      version: String(p.version),
      contractId: String(p.contractId),
    })),
    outputPorts: objects(doc.outputPorts).map((p, i) => normalizeOutputPort(p, joinPath('outputPorts', i), sink)),
    support: normalizeSupport(doc.support),
    raw: body,
  };
}

function normalizeOutputPort(port: Record<string, unknown>, path: string, sink: IssueSink): NormalizedOutputPort {
  return {
    name: String(port.name),
    version: String(port.version),
    type: normalizePortType(port.type, joinPath(path, 'type'), sink),
    contractId: str(port.contractId),
    containsPii: flag(port.customProperties, CONTAINS_PII_PROPERTY),
    autoApprove: flag(port.customProperties, AUTO_APPROVE_PROPERTY),
    description: str(port.description),
  };
}

function normalizePortType(value: unknown, path: string, sink: IssueSink): string | null {
  if (typeof value !== 'string') return null;
  const known = PORT_TYPE_ALIASES[value.toLowerCase()];
  if (known) return known;
  sink.warn(path, `unknown output port type ${preview(value)} kept as-is; Tessera handles ${OUTPUT_PORT_TYPES.join(', ')}`);
  return value;
}

function flag(customProperties: unknown, name: string): boolean {
  return findCustomProperty(customProperties, name)?.value === true;
}

/**
 * Products laid out as `.../contracts/<domain>/<product>.odps.yaml` or `<domain>/<product>.odps.yaml`
 * take the folder as their domain, so a repo organised by domain need not repeat it in every file.
 */
export function domainFromPath(file: string): string | null {
  const parts = file.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 2) return null;
  const folder = parts[parts.length - 2];
  const underContracts = parts.length >= 3 && parts[parts.length - 3] === 'contracts';
  const relativeTwoLevel = parts.length === 2 && !file.startsWith('/') && folder !== 'contracts';
  if (!underContracts && !relativeTwoLevel) return null;
  return NAME_PATTERN.test(folder) ? folder : null;
}
