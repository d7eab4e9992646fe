import { Injectable } from '@nestjs/common';
import { AccessGate } from '../../governance/agreements/access-gate';
import type { Principal } from '../../governance/auth/principal';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { OfflineTablesQuery } from '../offline/offline-tables.query';
import { invalid } from '../retrieval/pit-entity-frame';
import { EVENT_TIMESTAMP, PitRequest } from '../retrieval/pit-request';
import type { EntityQuery } from './training-dataset.input';

const TIME_TYPES = new Set(['timestamp', 'date']);

/**
 * An `entities_from` request resolved against the port's offline table (through the offline store's
 * query interface) and checked against the caller's access agreements like any read of that port.
 */
@Injectable()
export class EntityQueryResolver {
  constructor(
    private readonly tables: OfflineTablesQuery,
    private readonly gate: AccessGate,
  ) {}

  async resolve(q: EntityQuery, caller: Principal | undefined): Promise<NonNullable<PitRequest['entitiesFrom']>> {
    const facts = (await this.tables.newest(q.dataProduct)).find((t) => t.port === q.outputPort);
    if (!facts) {
      throw new FeaturesError(FeaturesErrorCode.PORT_NOT_FOUND, `output port ${q.dataProduct}/${q.outputPort} has no offline table`, {
        field: 'entities_from.outputPort',
        reason: 'no such output port with an offline table',
      });
    }
    const byName = new Map(facts.columns.map((c) => [c.name, c]));
    const missing = q.columns.filter((c) => !byName.has(c));
    if (missing.length)
      throw invalid(
        `entities_from: ${q.dataProduct}/${q.outputPort} has no column ${missing.join(', ')}`,
        missing.map((c) => ({ field: 'entities_from.columns', reason: `no column ${c} in the port` })),
      );
    const ts = q.timestamp ?? (byName.has(EVENT_TIMESTAMP) ? EVENT_TIMESTAMP : onlyTimestamp(facts.columns));
    const tsColumn = ts === undefined ? undefined : byName.get(ts);
    if (!tsColumn || !TIME_TYPES.has(tsColumn.logicalType)) {
      throw invalid(`entities_from: ${ts === undefined ? 'the port has no single timestamp column; name one' : `${ts} is not a timestamp or date column of the port`}`, [
        { field: 'entities_from.timestamp', reason: 'must name a timestamp or date column of the port' },
      ]);
    }
    const names = q.columns.filter((c) => c !== ts);
    if (names.includes(EVENT_TIMESTAMP))
      throw invalid('entities_from: the column event_timestamp is the entity timestamp; name it as timestamp', [{ field: 'entities_from.columns', reason: 'event_timestamp is not a timestamp column here' }]);
    if (caller) await this.gate.checkTable(caller, facts, [...names, ts!]);
    return {
      schema: facts.schema,
      table: facts.table,
      // In the order asked for, the timestamp column renamed event_timestamp (appended when not asked for).
      columns: (q.columns.includes(ts!) ? q.columns : [...q.columns, ts!]).map((c) =>
        c === ts ? { name: EVENT_TIMESTAMP, column: c, logicalType: tsColumn.logicalType } : { name: c, column: c, logicalType: byName.get(c)!.logicalType },
      ),
      from: q.from ?? null,
      to: q.to ?? null,
    };
  }
}

function onlyTimestamp(columns: { name: string; logicalType: string }[]): string | undefined {
  const found = columns.filter((c) => c.logicalType === 'timestamp');
  return found.length === 1 ? found[0].name : undefined;
}
