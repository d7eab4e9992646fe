import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { NormalizedContract } from '../../catalog/contracts/documents/normalized-types';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import { columnsOf, majorOf, pickSchemaObject, primaryKeyOf } from './offline-columns';
import { addColumnSql, createTableSql, disambiguatedTableName, dropNotNullSql, eventTimeBrinSql, pointInTimeIndexName, pointInTimeIndexSql, qualified, TableRef } from './offline-ddl';
import { planMigration, sameColumns } from './offline-migration-plan';
import { grantDomainRole } from './domain-roles';
import { domainSchema, portTable, quoteIdent } from './offline-naming';
import { OfflineTablesRepository } from './offline-tables.repository';
import { TesseraConfig } from '../../config/tessera-config';
import { sloDefinitions } from '../../slo/slo-definition';
import { bucketsAhead, partitionColumnOf, PartitionSpec } from './offline-partitioning';
import { ensurePartitions } from './offline-partitions';

/** The contract's retention SLA (ODCS `retention`) in seconds, or null when it declares none. */
export function retentionOf(contract: NormalizedContract): number | null {
  // A contract built in code (tests, older stored documents) may carry no slaProperties at all.
  return sloDefinitions(contract.slaProperties ?? []).definitions.find((d) => d.slo === 'retention')?.target ?? null;
}

/** Output port types whose rows Tessera stores. */
const STORED_PORT_TYPES = new Set(['table', 'featureView']);

export interface SyncPortInput {
  domain: string;
  productId: string;
  port: { name: string; version: string; type: string | null };
  contract: NormalizedContract | null;
}

export interface SyncPortResult {
  action: 'created' | 'migrated' | 'unchanged' | 'skipped';
  /** `schema.table` (unquoted) when the port has a table. */
  table?: string;
}

/**
 * Keeps each stored output port's offline table in step with its contract. Runs inside the apply
 * transaction (the caller's EntityManager), so a failed apply leaves no table behind: PostgreSQL DDL
 * is transactional.
 */
@Injectable()
export class OfflineSchemaService {
  constructor(
    private readonly tables: OfflineTablesRepository,
    private readonly config: TesseraConfig,
  ) {}

  async syncPort(manager: EntityManager, input: SyncPortInput): Promise<SyncPortResult> {
    const { port, contract, productId } = input;
    if (!port.type || !STORED_PORT_TYPES.has(port.type) || !contract) return { action: 'skipped' };
    const object = pickSchemaObject(contract, port.name);
    if (!object || object.properties.length === 0) return { action: 'skipped' };
    const columns = columnsOf(contract.id, object);
    const major = majorOf(port.version);
    const existing = await this.tables.find(manager, productId, port.name, major);

    const retentionSeconds = retentionOf(contract);
    if (!existing) {
      const free = await this.freeTable(manager, input, major);
      const granularity = this.config.offlinePartitionGranularity;
      const key = granularity === 'none' ? null : partitionColumnOf(object, columns);
      const partition: PartitionSpec | null = key && granularity !== 'none' ? { ...key, granularity } : null;
      const table: TableRef = { ...free, partition };
      const positions = new Map(object.properties.map((p) => [p.name, p.primaryKeyPosition]));
      await manager.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.schema)}`);
      for (const sql of createTableSql(table, columns, primaryKeyOf(columns, positions))) await manager.query(sql);
      // The current bucket and those ahead exist from the start; the maintainer keeps them coming.
      if (partition) await ensurePartitions(manager, { ...table, partition }, this.bucketsAhead(partition));
      // The domain's role reads its own schema only: quality rule SQL runs as it (ADR 0019).
      await grantDomainRole(manager, table.schema);
      await this.tables.save(manager, {
        productId,
        port: port.name,
        major,
        portVersion: port.version,
        domain: input.domain,
        contractId: contract.id,
        contractVersion: contract.version,
        schemaName: table.schema,
        tableName: table.name,
        columns,
        partitionColumn: partition?.column ?? null,
        partitionGranularity: partition?.granularity ?? null,
        retentionSeconds,
      });
      return { action: 'created', table: `${table.schema}.${table.name}` };
    }

    // The table stays where it was created, even if the product has since moved domain: readers and
    // feature views already point at it.
    const table: TableRef = { schema: existing.schemaName, name: existing.tableName };
    const physical = await this.tables.physicalColumns(manager, table);
    if (physical.length === 0) {
      throw new FeaturesError(FeaturesErrorCode.OFFLINE_TABLE_MISSING, `offline table ${table.schema}.${table.name} of ${productId}/${port.name} v${major} is registered but does not exist`);
    }
    const plan = planMigration(existing.columns, columns, physical);
    // The partition column stays NOT NULL even if a later minor version relaxes it: a row without an
    // event time has no partition to go to; the ingest refuses such rows with a row error (ADR 0030).
    const relax = plan.relax.filter((name) => name !== existing.partitionColumn);
    for (const c of plan.add) await manager.query(addColumnSql(table, c));
    for (const name of relax) await manager.query(dropNotNullSql(table, name));
    const changed =
      plan.add.length > 0 ||
      relax.length > 0 ||
      existing.retentionSeconds !== retentionSeconds ||
      !sameColumns(existing.columns, plan.columns) ||
      existing.contractId !== contract.id ||
      existing.contractVersion !== contract.version ||
      existing.portVersion !== port.version;
    if (!changed) return { action: 'unchanged', table: `${table.schema}.${table.name}` };
    await this.tables.save(manager, {
      ...existing,
      portVersion: port.version,
      contractId: contract.id,
      contractVersion: contract.version,
      columns: plan.columns,
      retentionSeconds,
    });
    return { action: 'migrated', table: `${table.schema}.${table.name}` };
  }

  /**
   * The index point-in-time lookups walk: keys, then newest event first, ties by newest created; and a
   * BRIN index on the event time (SLO freshness reads).
   * Idempotent (deterministic name + IF NOT EXISTS). Built inside the caller's transaction, so it
   * blocks writes to the table while it builds; fine at apply time, not for huge live tables.
   */
  async ensurePointInTimeIndex(manager: EntityManager, table: TableRef, keyColumns: string[], timestampColumn: string, createdColumn: string | null): Promise<string> {
    const name = pointInTimeIndexName(table.name, keyColumns, timestampColumn, createdColumn);
    await manager.query(pointInTimeIndexSql(table, name, keyColumns, timestampColumn, createdColumn));
    await manager.query(eventTimeBrinSql(table, timestampColumn));
    return name;
  }

  /**
   * ensurePointInTimeIndex on the newest major's table of a port (what feature views read), read
   * through the caller's transaction; false when the port has no offline table yet.
   */
  async ensureViewIndex(manager: EntityManager, source: { productId: string; port: string }, keyColumns: string[], timestampColumn: string, createdColumn: string | null): Promise<boolean> {
    const newest = await this.tables.newest(manager, source.productId, source.port);
    if (!newest) return false;
    await this.ensurePointInTimeIndex(manager, { schema: newest.schemaName, name: newest.tableName }, keyColumns, timestampColumn, createdColumn);
    return true;
  }

  /** Bucket starts from now's to `offlinePartitionsAhead` buckets later. */
  bucketsAhead(spec: PartitionSpec, now = new Date()): Date[] {
    return bucketsAhead(spec, this.config.offlinePartitionsAhead, now);
  }

  /** Natural name, else a hashed variant (two product ids can normalize to the same identifier). */
  private async freeTable(manager: EntityManager, input: SyncPortInput, major: number): Promise<TableRef> {
    const schema = domainSchema(input.domain);
    const natural = portTable(input.productId, input.port.name, major);
    for (const name of [natural, disambiguatedTableName(natural, input.productId, input.port.name, major)]) {
      if (!(await this.tables.isTaken(manager, { schema, name }))) return { schema, name };
    }
    throw new FeaturesError(FeaturesErrorCode.OFFLINE_SCHEMA_INVALID, `no free table name for ${input.productId}/${input.port.name} v${major} in ${qualified({ schema, name: natural })}`);
  }
}
