import { EntityManager, In } from 'typeorm';
import type { NormalizedContract } from '../contracts/documents/normalized-types';
import { ContractVersionEntity, DataContractEntity } from '../entities/data-contract.entity';
import { DataProductEntity, SupportChannelJson } from '../entities/data-product.entity';
import type { TeamJson } from '../entities/domain.entity';
import { InputPortEntity, OutputPortEntity } from '../entities/port.entity';

/** The last recorded change of a contract: what the breaking-change policy inspects. */
export interface ContractVersionChange {
  contractId: string;
  version: string;
  previousVersion: string | null;
  impact: string;
}

/**
 * A data product as stored, with its ports, the contracts of its output ports and their last
 * recorded change. Read-only view the governance module evaluates policies over, without
 * touching catalog tables itself; inside an apply it reads the transaction's uncommitted state.
 */
export interface ProductSnapshot {
  product: {
    id: string;
    name: string;
    domain: string;
    status: string;
    version: string | null;
    type: string | null;
    purpose: string | null;
    limitations: string | null;
    usage: string | null;
    tags: string[];
    team: TeamJson | null;
    support: SupportChannelJson[];
  };
  inputPorts: { name: string; version: string; contractId: string }[];
  outputPorts: { name: string; version: string; type: string | null; contractId: string | null; containsPii: boolean; autoApprove: boolean; description: string | null }[];
  contracts: Record<string, NormalizedContract>;
  changes: ContractVersionChange[];
}

export async function readProductSnapshots(m: EntityManager, ids?: string[]): Promise<ProductSnapshot[]> {
  const products = await m.getRepository(DataProductEntity).find({ where: ids ? { id: In(ids) } : {}, order: { id: 'ASC' } });
  if (products.length === 0) return [];
  const productIds = products.map((p) => p.id);
  const inputs = await m.getRepository(InputPortEntity).find({ where: { productId: In(productIds) }, order: { position: 'ASC' } });
  const outputs = await m.getRepository(OutputPortEntity).find({ where: { productId: In(productIds) }, order: { position: 'ASC' } });
  const contractIds = [...new Set(outputs.map((o) => o.contractId).filter((c): c is string => c !== null))];
  const contracts = contractIds.length > 0 ? await m.getRepository(DataContractEntity).findBy({ id: In(contractIds) }) : [];
  const changes = await lastChanges(m, contractIds);
  return products.map((p) => {
    const outs = outputs.filter((o) => o.productId === p.id);
    const own = new Set(outs.map((o) => o.contractId));
    return {
      product: {
        id: p.id,
        name: p.name,
        domain: p.domain,
        status: p.status,
        version: p.version,
        type: p.type,
        purpose: p.purpose,
        limitations: p.limitations,
        usage: p.usage,
        tags: p.tags,
        team: p.team,
        support: p.support,
      },
      inputPorts: inputs.filter((i) => i.productId === p.id).map((i) => ({ name: i.name, version: i.version, contractId: i.contractId })),
      outputPorts: outs.map((o) => ({ name: o.name, version: o.version, type: o.type, contractId: o.contractId, containsPii: o.containsPii, autoApprove: o.autoApprove, description: o.description })),
      contracts: Object.fromEntries(contracts.filter((c) => own.has(c.id)).map((c) => [c.id, c.normalized])),
      changes: changes.filter((c) => own.has(c.contractId)),
    };
  });
}

/** Ids of the products whose output ports use one of these contracts. */
export async function productsUsingContracts(m: EntityManager, contractIds: string[]): Promise<string[]> {
  if (contractIds.length === 0) return [];
  const rows = await m.getRepository(OutputPortEntity).find({ where: { contractId: In(contractIds) } });
  return [...new Set(rows.map((r) => r.productId))];
}

async function lastChanges(m: EntityManager, contractIds: string[]): Promise<ContractVersionChange[]> {
  if (contractIds.length === 0) return [];
  const rows = await m.getRepository(ContractVersionEntity).find({ where: { contractId: In(contractIds) }, order: { seq: 'DESC' } });
  return contractIds.flatMap((id) => {
    const [last, previous] = rows.filter((r) => r.contractId === id);
    return last ? [{ contractId: id, version: last.version, previousVersion: previous?.version ?? null, impact: last.impact }] : [];
  });
}
