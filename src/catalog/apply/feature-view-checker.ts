import type { ApplyIssue } from '../contracts/documents/apply-issue';
import type { NormalizedContract, NormalizedFeatureView, NormalizedProperty, ValidatedDocument } from '../contracts/documents/normalized-types';
import { ApplyBatch } from './apply-batch';
import { CatalogWriter } from './catalog-writer';

type ViewDoc = Extract<ValidatedDocument, { kind: 'FeatureView' }>;

/** Port types whose rows land in an offline table a feature view can read. */
const TABLE_PORT_TYPES = new Set(['table', 'featureView']);
/** Feature types the serving paths can carry (objects and arrays are not features). */
const FEATURE_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'time']);
const TIME_TYPES = new Set(['timestamp', 'date']);

/** The schema object a port's rows follow: the one named like the port, else the first. */
export function portSchemaObject(contract: NormalizedContract, port: string): NormalizedProperty[] {
  const objects = contract.schema ?? [];
  return (objects.find((o) => o.name === port) ?? objects[0])?.properties ?? [];
}

/**
 * A feature view must read a table port, and every field it names must be a property of that port's
 * contract with a type the feature store can serve. Unknown sources stay warnings (the reference
 * checker reports them): a view may be applied before its source's domain.
 */
export class FeatureViewChecker {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly batch: ApplyBatch,
    private readonly entityKeys: (name: string) => Promise<{ name: string; type: string }[] | null>,
  ) {}

  async check(d: ViewDoc, issues: ApplyIssue[]): Promise<void> {
    const v = d.value;
    const error = (path: string, message: string): void => {
      issues.push({ file: d.file, docIndex: d.docIndex, path, message, severity: 'error' });
    };
    const port = await this.sourcePort(v);
    if (!port) return;
    if (!port.type || !TABLE_PORT_TYPES.has(port.type)) {
      error('source.outputPort', `output port ${v.source.dataProduct}/${v.source.outputPort} is of type ${port.type ?? 'unknown'}; a feature view reads a table port`);
      return;
    }
    const contract = port.contractId ? await this.contract(port.contractId) : null;
    if (!contract) return;
    const props = new Map(portSchemaObject(contract, v.source.outputPort).map((p) => [p.name, p]));
    const where = `contract ${contract.id}@${contract.version}`;
    const requireProp = (path: string, name: string, allowed: Set<string>, what: string): NormalizedProperty | null => {
      const p = props.get(name);
      if (!p) error(path, `${what} ${name} is not a property of ${where}`);
      else if (!p.logicalType || !allowed.has(p.logicalType)) error(path, `${what} ${name} has logicalType ${p.logicalType ?? 'none'} in ${where}; expected ${[...allowed].join(' or ')}`);
      else return p;
      return null;
    };
    requireProp('timestampField', v.timestampField, TIME_TYPES, 'timestamp field');
    if (v.createdTimestampField) requireProp('createdTimestampField', v.createdTimestampField, TIME_TYPES, 'created timestamp field');
    v.features.forEach((f, i) => requireProp(`features[${i}]`, f.name, FEATURE_TYPES, 'feature'));
    for (const [i, entity] of v.entities.entries()) {
      for (const key of (await this.entityKeys(entity)) ?? []) {
        requireProp(`entities[${i}]`, key.name, new Set([key.type]), `join key of entity ${entity}:`);
      }
    }
  }

  private async sourcePort(v: NormalizedFeatureView): Promise<{ type: string | null; contractId: string | null } | null> {
    const inBatch = this.batch.product(v.source.dataProduct);
    if (inBatch) return inBatch.outputPorts.filter((p) => p.name === v.source.outputPort).at(-1) ?? null;
    return this.writer.latestOutputPort(v.source.dataProduct, v.source.outputPort);
  }

  private async contract(id: string): Promise<NormalizedContract | null> {
    const inBatch = this.batch.contracts.find((c) => c.value.id === id);
    if (inBatch) return inBatch.value;
    return (await this.writer.currentContract(id))?.normalized ?? null;
  }
}
