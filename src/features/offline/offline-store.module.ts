import { Module } from '@nestjs/common';
import { IngestChecks } from '../ingest/ingest-checks';
import { IngestController } from '../ingest/ingest.controller';
import { OfflineIngestRepository } from '../ingest/offline-ingest.repository';
import { OfflineIngestService } from '../ingest/offline-ingest.service';
import { OutputPortDirectory } from '../ingest/output-port-directory';
import { DomainRolesService } from './domain-roles.service';
import { OfflinePartitionMaintainer } from './offline-partition-maintainer';
import { OfflineSchemaService } from './offline-schema.service';
import { OfflineTablesQuery } from './offline-tables.query';
import { OfflineTablesRepository } from './offline-tables.repository';

/** Offline store: one PostgreSQL table per table output port major, kept in step with its contract, and row ingestion. */
@Module({
  controllers: [IngestController],
  providers: [OfflineTablesRepository, OfflineSchemaService, DomainRolesService, OfflineIngestRepository, OfflineIngestService, OutputPortDirectory, IngestChecks, OfflineTablesQuery, OfflinePartitionMaintainer],
  exports: [OfflinePartitionMaintainer, OfflineSchemaService, OfflineIngestService, OfflineTablesRepository, IngestChecks, OfflineTablesQuery],
})
export class OfflineStoreModule {}
