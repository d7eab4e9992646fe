import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import { parseContractFiles } from '../../catalog/contracts/documents/parse-documents';
import { DEFAULT_DOMAIN, domainFromPath } from '../../catalog/contracts/documents/normalize-product';
import type { RawDocument } from '../../catalog/contracts/documents/raw-document';
import { CatalogFactsQuery } from '../../catalog/query/catalog-facts.query';
import { FeatureRegistryQuery, viewsOfRefs } from '../../features/registry/feature-registry.query';
import { AgreementSubjectQuery } from '../agreements/agreement-subject.query';
import { resolveModelDomain, UNOWNED_MODEL_REASON as UNOWNED_MODEL } from '../../scoring/registry/model-domain';
import { ModelOwnershipQuery } from '../../scoring/registry/model-ownership.query';
import type { DocumentScope, Resource, ViewScope } from './resource';
import { TtlCache } from './ttl-cache';

/** Kinds that belong to no single domain; any principal with a domain role may apply them. */
const MESH_LEVEL_KINDS = new Set(['Entity', 'FeatureService', 'UseCase']);

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** What the documents of one apply say about ownership, before any of them is stored. */
interface Batch {
  productDomains: Map<string, string>;
  contractDomains: Map<string, Set<string>>;
  serviceViews: Map<string, string[]>;
  viewProducts: Map<string, string>;
}

/** What is stored, for the ids the batch mentions. */
interface Stored {
  products: Map<string, string>;
  contracts: Map<string, Set<string>>;
  /** Registered models: their owner, null when unowned. */
  models: Map<string, string | null>;
  /** Model name -> domains its document's feature service reads (declared domains need none). */
  modelSourceDomains: Map<string, string[]>;
}

/**
 * The few ownership facts authorization needs (which domain owns a product, a view, a contract, a
 * model), asked of the modules that own them through their query interfaces. Product domains are
 * cached briefly: ingest sits on a write path, but a bulk loader sends many requests. Ownership
 * changes only by apply (admin or both domains).
 */
@Injectable()
export class ResourceLookup {
  private readonly productDomains = new TtlCache<string | null>(5000, 10_000);

  constructor(
    private readonly catalog: CatalogFactsQuery,
    private readonly registry: FeatureRegistryQuery,
    private readonly agreements: AgreementSubjectQuery,
    private readonly models: ModelOwnershipQuery,
    changes: ChangeFeed,
  ) {
    changes.subscribe('products', () => this.invalidateProductDomains()); // ownership moved by an apply, on any replica
  }

  /** Forgets cached product owners (all when no ids are given), e.g. when another replica reports a change. */
  invalidateProductDomains(ids?: readonly string[]): void {
    if (!ids) return this.productDomains.clear();
    for (const id of ids) this.productDomains.delete(id);
  }

  async productDomain(id: string): Promise<string | null> {
    const hit = this.productDomains.get(id);
    if (hit !== undefined) return hit;
    const domain = (await this.catalog.productDomains([id])).get(id) ?? null;
    this.productDomains.set(id, domain);
    return domain;
  }

  /** The data product an access agreement is about (null: unknown id). */
  agreementProduct(id: string): Promise<string | null> {
    return this.agreements.productOf(id);
  }

  /** Domain of each view's source product (null: unknown view or product). */
  async viewDomains(names: string[]): Promise<ViewScope[]> {
    if (names.length === 0) return [];
    const sources = await this.registry.viewSourceProducts(names);
    const owners = await this.catalog.productDomains([...sources.values()]);
    return names.map((name) => {
      const product = sources.get(name);
      return { name, domain: (product && owners.get(product)) ?? null };
    });
  }

  /**
   * A model and its owner, for staging and deploying. Not cached: these are rare, and a registration
   * that moves a model must take effect at once.
   */
  async modelScope(name: string): Promise<Resource> {
    const owner = (await this.models.modelDomains([name])).get(name);
    if (owner === null) return { type: 'model', name, domains: [], adminOnly: UNOWNED_MODEL };
    return { type: 'model', name, domains: owner ? [owner] : [] };
  }

  /** The domains each document of an apply touches: its own, and the current owner's when it moves or changes another's. */
  async documentScopes(files: { path: string; content: string }[]): Promise<DocumentScope[]> {
    const { docs } = parseContractFiles(files);
    const batch = batchFacts(docs);
    const stored = await this.storedFacts(docs, batch);
    return docs.map((d) => scopeOf(d, batch, stored));
  }

  private async storedFacts(docs: RawDocument[], batch: Batch): Promise<Stored> {
    const productIds = new Set<string>(batch.productDomains.keys());
    const contractIds = new Set<string>();
    const models = docs.filter((d) => d.kind === 'Model');
    for (const d of docs) {
      if (d.kind === 'FeatureView') {
        const p = str(record(d.body.source).dataProduct);
        if (p) productIds.add(p);
      }
      if (d.kind === 'DataContract') {
        const c = str(d.body.id);
        if (c) contractIds.add(c);
      }
    }
    // A Model without a declared domain takes its feature service's: service -> views -> products, each from the batch or the registry.
    const deriving = models.filter((d) => !str(d.body.domain) && str(d.body.featureService));
    const services = [...new Set(deriving.map((d) => str(d.body.featureService)!))];
    const storedServices = await this.registry.serviceViews(services.filter((s) => !batch.serviceViews.has(s)));
    const viewsOf = (service: string): string[] => batch.serviceViews.get(service) ?? storedServices.get(service) ?? [];
    const views = [...new Set(services.flatMap(viewsOf))];
    const storedViews = await this.registry.viewSourceProducts(views.filter((v) => !batch.viewProducts.has(v)));
    const productOf = (view: string): string | undefined => batch.viewProducts.get(view) ?? storedViews.get(view);
    for (const v of views) {
      const p = productOf(v);
      if (p) productIds.add(p);
    }

    const [products, contracts, modelOwners] = await Promise.all([
      this.catalog.productDomains([...productIds]),
      this.catalog.contractDomains([...contractIds]),
      this.models.modelDomains([...new Set(models.map((d) => str(d.body.name)).filter((n): n is string => !!n))]),
    ]);
    const domainOfProduct = (p: string | undefined): string | undefined => (p ? (batch.productDomains.get(p) ?? products.get(p)) : undefined);
    const modelSourceDomains = new Map<string, string[]>();
    for (const d of deriving) {
      const domains = viewsOf(str(d.body.featureService)!).map((v) => domainOfProduct(productOf(v)));
      modelSourceDomains.set(`${d.file}#${d.docIndex}`, [...new Set(domains.filter((x): x is string => !!x))]);
    }
    return { products, contracts, models: modelOwners, modelSourceDomains };
  }
}

function batchFacts(docs: RawDocument[]): Batch {
  const batch: Batch = { productDomains: new Map(), contractDomains: new Map(), serviceViews: new Map(), viewProducts: new Map() };
  for (const d of docs) {
    const name = str(d.body.name);
    if (d.kind === 'FeatureService' && name) batch.serviceViews.set(name, viewsOfRefs(d.body.features));
    if (d.kind === 'FeatureView' && name) {
      const p = str(record(d.body.source).dataProduct);
      if (p) batch.viewProducts.set(name, p);
    }
    if (d.kind !== 'DataProduct') continue;
    const id = str(d.body.id);
    if (!id) continue;
    const domain = productDomainOf(d);
    batch.productDomains.set(id, domain);
    for (const port of Array.isArray(d.body.outputPorts) ? d.body.outputPorts : []) {
      const contract = str(record(port).contractId);
      if (contract) (batch.contractDomains.get(contract) ?? batch.contractDomains.set(contract, new Set()).get(contract)!).add(domain);
    }
  }
  return batch;
}

/** The domain apply will give a product: declared, else its folder under contracts/, else the default (as normalizeProduct does). */
function productDomainOf(d: RawDocument): string {
  return str(d.body.domain) ?? domainFromPath(d.file) ?? DEFAULT_DOMAIN;
}

function scopeOf(d: RawDocument, batch: Batch, stored: Stored): DocumentScope {
  const name = str(d.body.id) ?? str(d.body.name) ?? '(unnamed)';
  const document = `${d.file}#${d.docIndex}`;
  const scope = (domains: (string | null | undefined)[]): DocumentScope => ({
    document,
    kind: d.kind,
    name,
    domains: [...new Set(domains.filter((x): x is string => typeof x === 'string' && x.length > 0))].sort(),
  });
  switch (d.kind) {
    case 'DataProduct':
      return scope([productDomainOf(d), stored.products.get(name)]);
    case 'DataContract':
      return scope([str(d.body.domain), ...(batch.contractDomains.get(name) ?? []), ...(stored.contracts.get(name) ?? [])]);
    case 'Domain':
      return scope([name]);
    case 'FeatureView': {
      const p = str(record(d.body.source).dataProduct);
      return scope(p ? [batch.productDomains.get(p), stored.products.get(p)] : []);
    }
    case 'Model': {
      const owner = stored.models.get(name);
      if (owner === null) return { ...scope([]), adminOnly: `model ${name} has no domain: ${UNOWNED_MODEL}` };
      const declared = str(d.body.domain);
      const resolved = resolveModelDomain(declared, str(d.body.featureService) ?? '', stored.modelSourceDomains.get(document) ?? []);
      // Not derivable: every candidate domain is asked for, and registration refuses it with MODEL_DOMAIN_REQUIRED.
      return scope(['domain' in resolved ? resolved.domain : resolved.candidates, owner].flat());
    }
    default:
      if (MESH_LEVEL_KINDS.has(d.kind)) return scope([]);
      return { ...scope([]), adminOnly: `${d.kind} documents are mesh-wide` };
  }
}
