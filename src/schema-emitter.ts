import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { ApplyResolver } from './catalog/graphql/apply.resolver';
import { CatalogResolver } from './catalog/graphql/catalog.resolver';
import { RegistryResolver } from './features/registry/registry.resolver';
import { HistoricalFeaturesResolver } from './features/retrieval/historical-features.resolver';
import { MaterializationResolver } from './features/materialization/materialization.resolver';
import { ServingResolver } from './features/serving/serving.resolver';
import { ModelsResolver } from './scoring/graphql/models.resolver';

/** Every resolver class of the API; the emitted schema.graphql is built from exactly these. */
export const ALL_RESOLVERS = [CatalogResolver, ApplyResolver, RegistryResolver, ModelsResolver, HistoricalFeaturesResolver, MaterializationResolver, ServingResolver];

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
