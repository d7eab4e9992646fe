import { joinPath } from './apply-issue';
import { normalizeDescription, normalizeSupport, normalizeTeam, objects, str, strings } from './normalize-common';
import {
  LocatedQualityRule,
  NormalizedContract,
  NormalizedProperty,
  NormalizedQualityRule,
  NormalizedSchemaObject,
} from './normalized-types';
import { LogicalType, OdcsDocument } from './odcs.schema';
import { QUALITY_OPERATORS } from './odcs-quality.schema';
import { isPlainObject } from './raw-document';

export function normalizeContract(doc: OdcsDocument, body: Record<string, unknown>): NormalizedContract {
  const quality: LocatedQualityRule[] = [];
  const schema = objects(doc.schema).map((obj, i) => normalizeObject(obj, joinPath('schema', i), quality));
  return {
    id: doc.id,
    version: doc.version,
    apiVersion: doc.apiVersion,
    status: doc.status,
    name: doc.name ?? null,
    domain: doc.domain ?? null,
    dataProduct: doc.dataProduct ?? null,
    description: normalizeDescription(doc.description),
    tags: strings(doc.tags),
    schema,
    quality,
    slaProperties: objects(doc.slaProperties).map((s) => ({
      property: String(s.property),
      value: (s.value ?? null) as string | number | boolean | null,
      unit: str(s.unit),
      element: str(s.element),
      driver: str(s.driver),
      description: str(s.description),
    })),
    team: normalizeTeam(doc.team),
    roles: objects(doc.roles).map((r) => ({
      role: String(r.role),
      access: str(r.access),
      description: str(r.description),
      firstLevelApprovers: str(r.firstLevelApprovers),
      secondLevelApprovers: str(r.secondLevelApprovers),
    })),
    support: normalizeSupport(doc.support),
    raw: body,
  };
}

function normalizeObject(obj: Record<string, unknown>, path: string, sink: LocatedQualityRule[]): NormalizedSchemaObject {
  const name = String(obj.name);
  const own = normalizeQuality(obj.quality);
  own.forEach((rule) => sink.push({ ...rule, path, element: name }));
  return {
    name,
    physicalName: str(obj.physicalName),
    physicalType: str(obj.physicalType),
    businessName: str(obj.businessName),
    description: str(obj.description),
    tags: strings(obj.tags),
    properties: objects(obj.properties).map((p, i) =>
      normalizeProperty(p, joinPath(path, 'properties', i), `${name}.${String(p.name)}`, sink),
    ),
    quality: own,
  };
}

/** Element names follow ODCS's dotted notation (`table.column.nested`), used by SLA `element` too. */
function normalizeProperty(
  prop: Record<string, unknown>,
  path: string,
  element: string,
  sink: LocatedQualityRule[],
): NormalizedProperty {
  const quality = normalizeQuality(prop.quality);
  quality.forEach((rule) => sink.push({ ...rule, path, element }));
  const options = prop.logicalTypeOptions;
  return {
    name: str(prop.name) ?? '',
    physicalName: str(prop.physicalName),
    logicalType: (str(prop.logicalType) as LogicalType | null) ?? null,
    physicalType: str(prop.physicalType),
    required: prop.required === true,
    unique: prop.unique === true,
    primaryKey: prop.primaryKey === true,
    primaryKeyPosition: typeof prop.primaryKeyPosition === 'number' ? prop.primaryKeyPosition : null,
    partitioned: prop.partitioned === true,
    classification: str(prop.classification),
    description: str(prop.description),
    businessName: str(prop.businessName),
    tags: strings(prop.tags),
    logicalTypeOptions: isPlainObject(options) ? options : null,
    quality,
    examples: Array.isArray(prop.examples) ? prop.examples : [],
    properties: objects(prop.properties).map((p, i) =>
      normalizeProperty(p, joinPath(path, 'properties', i), `${element}.${String(p.name)}`, sink),
    ),
    items: isPlainObject(prop.items) ? normalizeProperty(prop.items, joinPath(path, 'items'), `${element}[]`, sink) : null,
  };
}

function normalizeQuality(value: unknown): NormalizedQualityRule[] {
  return objects(value).map((q) => {
    const operator = QUALITY_OPERATORS.find((op) => q[op] !== undefined) ?? null;
    return {
      id: str(q.id),
      name: str(q.name),
      description: str(q.description),
      // ODCS's default type is library; a rule with neither type nor metric is plain text.
      type: str(q.type) ?? (q.metric !== undefined ? 'library' : 'text'),
      dimension: str(q.dimension),
      metric: str(q.metric) ?? str(q.rule),
      query: str(q.query),
      engine: str(q.engine),
      implementation: q.implementation ?? null,
      operator,
      threshold: operator ? q[operator] : null,
      unit: str(q.unit),
      severity: str(q.severity),
      businessImpact: str(q.businessImpact),
      schedule: str(q.schedule),
      scheduler: str(q.scheduler),
      arguments: isPlainObject(q.arguments) ? q.arguments : null,
      raw: q,
    };
  });
}
