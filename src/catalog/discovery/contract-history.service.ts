import { Injectable } from '@nestjs/common';
import { diffContracts } from '../contracts/documents/contract-diff';
import type { NormalizedContract } from '../contracts/documents/normalized-types';
import { CatalogError, CatalogErrorCode } from '../catalog-error';
import { ContractDiffModel, ContractVersionModel } from '../graphql/data-contract.model';
import { CatalogRepository } from './catalog.repository';

export interface ContractRef {
  id: string;
  version?: string | null;
}

@Injectable()
export class ContractHistoryService {
  constructor(private readonly repo: CatalogRepository) {}

  /** Every applied revision, newest first, each with its diff against the one before. */
  async history(id: string): Promise<ContractVersionModel[]> {
    const rows = await this.repo.contractHistory(id);
    if (rows.length === 0) throw new CatalogError(CatalogErrorCode.CONTRACT_NOT_FOUND, `data contract ${id} not found`);
    return rows.map((r) => ({
      contractId: r.contractId,
      version: r.version,
      impact: r.impact,
      changes: r.changes.map((c) => ({ ...c, field: c.field ?? null, element: c.element ?? null, from: c.from ?? null, to: c.to ?? null })),
      contentHash: r.contentHash,
      sourceFile: r.sourceFile,
      appliedAt: r.appliedAt,
    }));
  }

  /** Diff of any two applied contracts or versions (e.g. v1 and v2 of a port, or two revisions). */
  async diff(from: ContractRef, to: ContractRef): Promise<ContractDiffModel> {
    const [a, b] = await Promise.all([this.resolve(from, 'from'), this.resolve(to, 'to')]);
    const d = diffContracts(a, b);
    const fix = (c: (typeof d.changes)[number]) => ({ ...c, field: c.field ?? null, element: c.element ?? null, from: c.from ?? null, to: c.to ?? null });
    return {
      fromId: a.id,
      fromVersion: a.version,
      toId: b.id,
      toVersion: b.version,
      impact: d.impact,
      suggestedVersion: d.suggestedVersion,
      changes: d.changes.map(fix),
      breaking: d.breaking.map(fix),
    };
  }

  private async resolve(ref: ContractRef, arg: string): Promise<NormalizedContract> {
    if (ref.version) {
      const row = await this.repo.contractAtVersion(ref.id, ref.version);
      if (!row) throw new CatalogError(CatalogErrorCode.CONTRACT_VERSION_NOT_FOUND, `${arg}: contract ${ref.id} has no applied version ${ref.version}`);
      return row.normalized;
    }
    const [current] = await this.repo.contracts([ref.id]);
    if (!current) throw new CatalogError(CatalogErrorCode.CONTRACT_NOT_FOUND, `${arg}: data contract ${ref.id} not found`);
    return current.normalized;
  }
}
