import type { ProductSnapshot } from '../../catalog/apply/product-snapshot';
import type { NormalizedContract, NormalizedDataProduct } from '../../catalog/contracts/documents/normalized-types';

/**
 * The snapshot a product will have once stored, built from validated documents: lets policies be
 * evaluated before anything is written (unit tests, dry evaluation of a proposed policy).
 */
export function snapshotFromDocuments(p: NormalizedDataProduct, contracts: NormalizedContract[]): ProductSnapshot {
  const byId = new Map(contracts.map((c) => [c.id, c]));
  const own = p.outputPorts.map((o) => o.contractId).filter((id): id is string => id !== null && byId.has(id));
  return {
    product: {
      id: p.id,
      name: p.name,
      domain: p.domain,
      status: p.status,
      version: p.version,
      type: p.type,
      purpose: p.description.purpose,
      limitations: p.description.limitations,
      usage: p.description.usage,
      tags: p.tags,
      team: p.team,
      support: p.support,
    },
    inputPorts: p.inputPorts.map((i) => ({ ...i })),
    outputPorts: p.outputPorts.map((o) => ({ name: o.name, version: o.version, type: o.type, contractId: o.contractId, containsPii: o.containsPii, autoApprove: o.autoApprove, description: o.description })),
    contracts: Object.fromEntries(own.map((id) => [id, byId.get(id)!])),
    changes: own.map((id) => ({ contractId: id, version: byId.get(id)!.version, previousVersion: null, impact: 'INITIAL' })),
  };
}
