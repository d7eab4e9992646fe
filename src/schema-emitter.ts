import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { ApplyResolver } from './catalog/graphql/apply.resolver';
import { CatalogResolver } from './catalog/graphql/catalog.resolver';
import { RegistryResolver } from './features/registry/registry.resolver';
import { HistoricalFeaturesResolver } from './features/retrieval/historical-features.resolver';
import { MaterializationResolver } from './features/materialization/materialization.resolver';
import { ServingResolver } from './features/serving/serving.resolver';
import { TrainingDatasetResolver } from './features/datasets/training-dataset.resolver';
import { AuditResolver } from './governance/audit/audit.resolver';
import { AuthResolver } from './governance/auth/auth.resolver';
import { ViewerResolver } from './governance/auth/viewer.resolver';
import { PoliciesResolver } from './governance/policies/policies.resolver';
import { ModelsResolver } from './scoring/graphql/models.resolver';
import { DeploymentsResolver } from './scoring/deployments/deployments.resolver';
import { PredictionResolver } from './scoring/prediction/prediction.resolver';
import { PredictionLogResolver } from './scoring/prediction-log/prediction-log.resolver';
import { QualityResolver } from './quality/quality.resolver';
import { SloResolver } from './slo/slo.resolver';
import { DriftResolver } from './monitoring/drift.resolver';
import { AgreementsResolver } from './governance/agreements/agreements.resolver';
import { StreamingResolver } from './features/streaming/streaming.resolver';
import { BatchScoringResolver } from './scoring/batch/batch-scoring.resolver';

/** Every resolver class of the API; the emitted schema.graphql is built from exactly these. */
export const ALL_RESOLVERS = [
  CatalogResolver,
  ApplyResolver,
  RegistryResolver,
  ModelsResolver,
  HistoricalFeaturesResolver,
  MaterializationResolver,
  ServingResolver,
  StreamingResolver,
  TrainingDatasetResolver,
  PredictionLogResolver,
  PredictionResolver,
  DeploymentsResolver,
  BatchScoringResolver,
  AuthResolver,
  ViewerResolver,
  AuditResolver,
  PoliciesResolver,
  QualityResolver,
  SloResolver,
  DriftResolver,
  AgreementsResolver,
];

/** The SDL of the code-first schema, sorted like the server's (`sortSchema: true`). */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const factory = app.get(GraphQLSchemaFactory);
    const schema = await factory.create(ALL_RESOLVERS);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
