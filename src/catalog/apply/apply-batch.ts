import type {
  NormalizedContract,
  NormalizedDataProduct,
  NormalizedDomain,
  NormalizedEntity,
  NormalizedFeatureService,
  NormalizedFeatureView,
  NormalizedModel,
  NormalizedUseCase,
  ValidatedDocument,
} from '../contracts/documents/normalized-types';

type Doc<K extends ValidatedDocument['kind']> = Extract<ValidatedDocument, { kind: K }>;

/** The validated documents of one apply, grouped by kind, with lookups for cross-references. */
export class ApplyBatch {
  readonly domains: Doc<'Domain'>[] = [];
  readonly contracts: Doc<'DataContract'>[] = [];
  readonly products: Doc<'DataProduct'>[] = [];
  readonly useCases: Doc<'UseCase'>[] = [];
  readonly entities: Doc<'Entity'>[] = [];
  readonly featureViews: Doc<'FeatureView'>[] = [];
  readonly featureServices: Doc<'FeatureService'>[] = [];
  readonly models: Doc<'Model'>[] = [];
  readonly streamSources: Doc<'StreamSource'>[] = [];

  constructor(documents: ValidatedDocument[]) {
    for (const d of documents) {
      switch (d.kind) {
        case 'Domain':
          this.domains.push(d);
          break;
        case 'DataContract':
          this.contracts.push(d);
          break;
        case 'DataProduct':
          this.products.push(d);
          break;
        case 'UseCase':
          this.useCases.push(d);
          break;
        case 'Entity':
          this.entities.push(d);
          break;
        case 'FeatureView':
          this.featureViews.push(d);
          break;
        case 'FeatureService':
          this.featureServices.push(d);
          break;
        case 'Model':
          this.models.push(d);
          break;
        case 'StreamSource':
          this.streamSources.push(d);
          break;
      }
    }
  }

  hasContract(id: string): boolean {
    return this.contracts.some((c) => c.value.id === id);
  }

  product(id: string): NormalizedDataProduct | undefined {
    return this.products.find((p) => p.value.id === id)?.value;
  }

  hasEntity(name: string): boolean {
    return this.entities.some((e) => e.value.name === name);
  }

  featureView(name: string): NormalizedFeatureView | undefined {
    return this.featureViews.find((v) => v.value.name === name)?.value;
  }

  hasFeatureService(name: string): boolean {
    return this.featureServices.some((s) => s.value.name === name);
  }
}

export type { NormalizedContract, NormalizedDataProduct, NormalizedDomain, NormalizedEntity, NormalizedFeatureService, NormalizedFeatureView, NormalizedModel, NormalizedUseCase };
