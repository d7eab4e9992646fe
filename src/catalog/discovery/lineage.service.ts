import { Injectable } from '@nestjs/common';
import { CatalogError, CatalogErrorCode } from '../catalog-error';
import { CatalogRepository, LineageEdgeRow } from './catalog.repository';

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

export interface LineageNode {
  id: string;
  /** PRODUCT for catalogued products; EXTERNAL for a contract no catalogued product publishes. */
  kind: 'PRODUCT' | 'EXTERNAL';
  name: string;
  domain: string | null;
  type: string | null;
  status: string | null;
  /** Hops from the root: negative upstream, positive downstream. */
  distance: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  contractId: string;
  outputPort: string | null;
  inputPort: string;
}

export const MAX_LINEAGE_DEPTH = 20;

/** Lineage derived from input ports → the upstream output ports that publish the same contract. */
@Injectable()
export class LineageService {
  constructor(private readonly repo: CatalogRepository) {}

  async lineage(rootId: string, direction: LineageDirection, depth: number): Promise<{ nodes: LineageNode[]; edges: LineageEdge[] }> {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_LINEAGE_DEPTH) {
      throw new CatalogError(CatalogErrorCode.INVALID_ARGUMENT, `depth: must be an integer between 1 and ${MAX_LINEAGE_DEPTH}`);
    }
    const root = await this.repo.product(rootId);
    if (!root) throw new CatalogError(CatalogErrorCode.DATA_PRODUCT_NOT_FOUND, `data product ${rootId} not found`);
    const distances = new Map<string, number>([[rootId, 0]]);
    const edges = new Map<string, LineageEdge>();
    const externals = new Map<string, number>();
    if (direction !== 'DOWNSTREAM') await this.walk(rootId, -1, depth, distances, edges, externals, (ids) => this.repo.upstreamEdges(ids));
    if (direction !== 'UPSTREAM') await this.walk(rootId, 1, depth, distances, edges, externals, (ids) => this.repo.downstreamEdges(ids));

    const products = await this.repo.productsByIds([...distances.keys()]);
    const nodes: LineageNode[] = products.map((p) => ({
      id: p.id,
      kind: 'PRODUCT',
      name: p.name,
      domain: p.domain,
      type: p.type,
      status: p.status,
      distance: distances.get(p.id)!,
    }));
    for (const [contractId, distance] of externals) {
      nodes.push({ id: `contract:${contractId}`, kind: 'EXTERNAL', name: contractId, domain: null, type: null, status: null, distance });
    }
    nodes.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
    return { nodes, edges: [...edges.values()] };
  }

  private async walk(
    rootId: string,
    step: 1 | -1,
    depth: number,
    distances: Map<string, number>,
    edges: Map<string, LineageEdge>,
    externals: Map<string, number>,
    fetch: (ids: string[]) => Promise<LineageEdgeRow[]>,
  ): Promise<void> {
    let frontier = [rootId];
    const seen = new Set([rootId]);
    for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const row of await fetch(frontier)) {
        const from = row.upstream ?? `contract:${row.contract_id}`;
        const edge: LineageEdge = { from, to: row.downstream, contractId: row.contract_id, outputPort: row.output_port, inputPort: row.input_port };
        edges.set(`${edge.from}|${edge.to}|${edge.contractId}|${edge.inputPort}`, edge);
        if (row.upstream === null) {
          if (!externals.has(row.contract_id)) externals.set(row.contract_id, step * hop);
          continue;
        }
        const neighbour = step === -1 ? row.upstream : row.downstream;
        if (seen.has(neighbour)) continue; // cycles in a mesh are possible and must not loop forever
        seen.add(neighbour);
        if (!distances.has(neighbour)) distances.set(neighbour, step * hop);
        next.push(neighbour);
      }
      frontier = next;
    }
  }
}
