import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../../common/changes/change-feed';
import type { ChangeKind } from '../../common/changes/change-kind';
import { TesseraConfig } from '../../config/tessera-config';
import { OfflineSchemaService } from '../../features/offline/offline-schema.service';
import { FeatureRegistryService } from '../../features/registry/registry.service';
import type { ApplyIssue } from '../contracts/documents/apply-issue';
import { OfficialSchemaValidator } from '../contracts/documents/official-schema-validator';
import { parseContractFiles } from '../contracts/documents/parse-documents';
import { validateDocuments } from '../contracts/documents/validate-documents';
import { refreshSearchIndex } from '../discovery/search-index';
import { ApplyChange, ApplyReport, ApplyRequest, summarize } from './apply-report';
import { ApplyExtensions } from './apply-extensions';
import { ApplyBatch } from './apply-batch';
import { CatalogWriter } from './catalog-writer';
import { DocumentApplier } from './document-applier';

/**
 * Contracts as code: parse → validate (structure, official schemas) → store everything in one
 * transaction, or nothing. Re-applying identical documents is a no-op recognised by content hash.
 */
@Injectable()
export class ApplyService {
  private readonly logger = new Logger('ApplyService');
  private readonly official: OfficialSchemaValidator | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: FeatureRegistryService,
    private readonly offline: OfflineSchemaService,
    config: TesseraConfig,
    private readonly extensions: ApplyExtensions,
    private readonly changes: ChangeFeed,
  ) {
    this.official = config.standardsDir ? OfficialSchemaValidator.fromDirectory(config.standardsDir) : null;
    if (config.standardsDir && !this.official) this.logger.warn(`TESSERA_STANDARDS_DIR=${config.standardsDir} holds no ODCS/ODPS schemas; official validation is off`);
  }

  async apply(request: ApplyRequest): Promise<ApplyReport> {
    // Binary attachments (base64) are read by the documents that reference them, not parsed.
    const parsed = parseContractFiles(request.files.filter((f) => !f.encoding));
    const validated = validateDocuments(parsed.docs);
    const issues: ApplyIssue[] = [...parsed.issues, ...validated.issues];
    if (this.official) {
      for (const doc of parsed.docs) if (doc.kind === 'DataProduct' || doc.kind === 'DataContract') issues.push(...this.official.validate(doc));
    }
    if (issues.some((i) => i.severity === 'error')) return this.report(request.dryRun, false, [], issues);

    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const writer = new CatalogWriter(runner.manager);
      await writer.lock();
      const applier = new DocumentApplier(writer, this.registry, runner.manager, new ApplyBatch(validated.documents), this.offline);
      const changes: ApplyChange[] = await applier.applyAll(issues);
      // Other modules' kinds (Policy) and checks (policies on every touched product) join the transaction.
      const ctx = { manager: runner.manager, documents: validated.documents, changes, issues, actor: request.actor ?? 'system:apply', files: request.files };
      for (const ext of this.extensions.all) if (ext.applyDocuments) changes.push(...(await ext.applyDocuments(ctx)));
      for (const ext of this.extensions.all) if (ext.afterApply) await ext.afterApply(ctx);
      const failed = issues.some((i) => i.severity === 'error');
      const changed = changes.some((c) => c.action !== 'unchanged');
      if (changed && !failed) await refreshSearchIndex(runner.manager);
      const report = this.report(request.dryRun, !failed && !request.dryRun, changes, issues);
      if (failed || request.dryRun) {
        await runner.rollbackTransaction();
      } else {
        await writer.recordRun({ summary: report.summary, files: request.files.map((f) => f.path) });
        // Every replica's caches (this one's before the commit returns) drop what the apply changed.
        if (changed) for (const kind of changedKinds(changes)) await this.changes.publish(runner, kind);
        await runner.commitTransaction();
      }
      return report;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  private report(dryRun: boolean, applied: boolean, changes: ApplyChange[], issues: ApplyIssue[]): ApplyReport {
    const errors = issues.filter((i) => i.severity === 'error');
    const warnings = issues.filter((i) => i.severity === 'warning');
    return { applied, dryRun, ...summarize(errors.length > 0 ? [] : changes, errors, dryRun), changes: errors.length > 0 ? [] : changes, warnings, errors };
  }
}

/**
 * What an apply invalidates on every replica. Registry objects and products always (an apply is rare,
 * and a product's contract or ownership feeds views, ports and authorization alike); models and
 * policies when documents of theirs changed.
 */
function changedKinds(changes: readonly ApplyChange[]): ChangeKind[] {
  const moved = changes.filter((c) => c.action !== 'unchanged').map((c) => c.kind);
  const kinds: ChangeKind[] = ['registry', 'products'];
  if (moved.some((k) => k === 'Model' || k === 'ModelVersion')) kinds.push('models');
  if (moved.includes('Policy')) kinds.push('policies');
  return kinds;
}
