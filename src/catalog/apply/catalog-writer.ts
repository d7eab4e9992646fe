import { EntityManager } from 'typeorm';
import type { NormalizedContract, NormalizedDataProduct } from '../contracts/documents/normalized-types';
import type { ContractDiff } from '../contracts/documents/contract-diff';
import { ContractVersionEntity, DataContractEntity } from '../entities/data-contract.entity';
import { DataProductEntity } from '../entities/data-product.entity';
import { DomainEntity, TeamJson } from '../entities/domain.entity';
import { GlossaryTermEntity } from '../entities/glossary-term.entity';
import { InputPortEntity, OutputPortEntity } from '../entities/port.entity';
import { UseCaseEntity } from '../entities/use-case.entity';
import type { ApplyAction } from './apply-report';

export interface DomainInput {
  name: string;
  description: string | null;
  team: TeamJson | null;
  glossary: { term: string; definition: string; synonyms: string[]; products: string[] }[];
  spec: Record<string, unknown>;
  contentHash: string;
  sourceFile: string;
}

export interface UseCaseInput {
  name: string;
  description: string | null;
  purpose: string | null;
  consumer: { team?: string; dataProduct?: string; model?: string };
  dataProducts: { id: string; outputPort?: string }[];
  spec: Record<string, unknown>;
  contentHash: string;
  sourceFile: string;
}

/** All catalog writes of an apply, inside the apply's transaction. */
export class CatalogWriter {
  constructor(private readonly m: EntityManager) {}

  /** Serializes concurrent applies so diffs are computed against what is really stored. */
  async lock(): Promise<void> {
    await this.m.query(`SELECT pg_advisory_xact_lock(hashtext('tessera.apply'))`);
  }

  async ensureDomain(name: string): Promise<void> {
    await this.m.query(`INSERT INTO tessera.domains (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
  }

  async applyDomain(d: DomainInput): Promise<ApplyAction> {
    const repo = this.m.getRepository(DomainEntity);
    const existing = await repo.findOneBy({ name: d.name });
    if (existing?.contentHash === d.contentHash) return 'unchanged';
    await repo.save({ name: d.name, description: d.description, team: d.team, spec: d.spec, contentHash: d.contentHash, sourceFile: d.sourceFile });
    await this.m.delete(GlossaryTermEntity, { domain: d.name });
    if (d.glossary.length > 0) {
      await this.m.insert(
        GlossaryTermEntity,
        d.glossary.map((g) => ({ domain: d.name, ...g })),
      );
    }
    // A domain first created implicitly by a product (no hash yet) counts as created by its document.
    return existing?.contentHash ? 'updated' : 'created';
  }

  currentContract(id: string): Promise<DataContractEntity | null> {
    return this.m.getRepository(DataContractEntity).findOneBy({ id });
  }

  async contractExists(id: string): Promise<boolean> {
    return (await this.m.getRepository(DataContractEntity).countBy({ id })) > 0;
  }

  async productExists(id: string): Promise<boolean> {
    return (await this.m.getRepository(DataProductEntity).countBy({ id })) > 0;
  }

  async outputPortExists(productId: string, name: string): Promise<boolean> {
    return (await this.m.getRepository(OutputPortEntity).countBy({ productId, name })) > 0;
  }

  /** The port's last-declared version (a product lists v1 and v2 side by side, newest last). */
  async latestOutputPort(productId: string, name: string): Promise<{ type: string | null; contractId: string | null } | null> {
    const rows = await this.m.getRepository(OutputPortEntity).find({ where: { productId, name }, order: { position: 'DESC' }, take: 1 });
    return rows[0] ? { type: rows[0].type, contractId: rows[0].contractId } : null;
  }

  /** Every declared version of a product's output port (v1 and v2 are served side by side). */
  async outputPortVersions(productId: string, name: string): Promise<{ version: string; type: string | null; contractId: string | null }[]> {
    const rows = await this.m.getRepository(OutputPortEntity).find({ where: { productId, name }, order: { position: 'ASC' } });
    return rows.map((r) => ({ version: r.version, type: r.type, contractId: r.contractId }));
  }

  async portsUsingContract(contractId: string): Promise<{ productId: string; port: string }[]> {
    const rows = await this.m.getRepository(OutputPortEntity).findBy({ contractId });
    return rows.map((r) => ({ productId: r.productId, port: r.name }));
  }

  async saveContract(c: NormalizedContract, spec: Record<string, unknown>, hash: string, file: string, diff: ContractDiff | null): Promise<void> {
    await this.m.getRepository(DataContractEntity).save({
      id: c.id,
      version: c.version,
      status: c.status,
      name: c.name ?? null,
      domain: c.domain ?? null,
      spec,
      normalized: c,
      contentHash: hash,
      sourceFile: file,
    } as DataContractEntity);
    await this.m.getRepository(ContractVersionEntity).save({
      contractId: c.id,
      version: c.version,
      normalized: c,
      contentHash: hash,
      impact: diff ? diff.impact : 'INITIAL',
      changes: diff ? diff.changes : [],
      sourceFile: file,
    } as ContractVersionEntity);
  }

  currentProduct(id: string): Promise<DataProductEntity | null> {
    return this.m.getRepository(DataProductEntity).findOneBy({ id });
  }

  async saveProduct(p: NormalizedDataProduct, spec: Record<string, unknown>, hash: string, file: string): Promise<void> {
    await this.ensureDomain(p.domain);
    await this.m.getRepository(DataProductEntity).save({
      id: p.id,
      name: p.name ?? p.id,
      domain: p.domain,
      status: p.status,
      version: p.version ?? null,
      type: p.type ?? null,
      purpose: p.description?.purpose ?? null,
      limitations: p.description?.limitations ?? null,
      usage: p.description?.usage ?? null,
      tags: p.tags,
      team: p.team ?? null,
      support: p.support.map((s) => ({ channel: s.channel, url: s.url ?? null, tool: s.tool ?? null, scope: s.scope ?? null })),
      spec,
      contentHash: hash,
      sourceFile: file,
    });
    await this.m.delete(InputPortEntity, { productId: p.id });
    await this.m.delete(OutputPortEntity, { productId: p.id });
    if (p.inputPorts.length > 0) {
      await this.m.insert(
        InputPortEntity,
        p.inputPorts.map((port, position) => ({ productId: p.id, position, name: port.name, version: port.version, contractId: port.contractId })),
      );
    }
    if (p.outputPorts.length > 0) {
      await this.m.insert(
        OutputPortEntity,
        p.outputPorts.map((port, position) => ({
          productId: p.id,
          position,
          name: port.name,
          version: port.version,
          type: port.type ?? null,
          contractId: port.contractId ?? null,
          containsPii: port.containsPii,
          autoApprove: port.autoApprove,
          description: port.description ?? null,
        })),
      );
    }
  }

  async applyUseCase(u: UseCaseInput): Promise<ApplyAction> {
    const repo = this.m.getRepository(UseCaseEntity);
    const existing = await repo.findOneBy({ name: u.name });
    if (existing?.contentHash === u.contentHash) return 'unchanged';
    await repo.save({ ...u });
    return existing ? 'updated' : 'created';
  }

  async recordRun(summary: unknown): Promise<void> {
    await this.m.query(`INSERT INTO tessera.apply_runs (summary) VALUES ($1)`, [JSON.stringify(summary)]);
  }
}
