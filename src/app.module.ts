import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { ApiDocsModule } from './api-docs/api-docs.module';
import { CatalogModule } from './catalog/catalog.module';
import { ChangesModule } from './common/changes/changes.module';
import { DatabaseModule } from './common/database/database.module';
import { formatGraphqlError } from './common/errors/graphql-error-formatter';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { complexityLimitPlugin, depthLimitRule } from './common/http/graphql-limits';
import { ConfigModule } from './config/config.module';
import { TesseraConfig } from './config/tessera-config';
import { FeaturesModule } from './features/features.module';
import { AuthModule } from './governance/auth/auth.module';
import { ObservabilityModule } from './observability/observability.module';
import { EventsModule } from './common/events/events.module';
import { SloModule } from './slo/slo.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { AgreementsModule } from './governance/agreements/agreements.module';
import { PoliciesModule } from './governance/policies/policies.module';
import { ScoringModule } from './scoring/scoring.module';
import { QualityModule } from './quality/quality.module';
import { OpenLineageModule } from './openlineage/openlineage.module';

@Module({})
export class AppModule {
  static forRoot(config: TesseraConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(dataSource, config.readReplica),
        ChangesModule.forRoot({ changeReconnectMs: config.changeReconnectMs, changeCheckMs: config.changeCheckMs }),
        AuthModule,
        ObservabilityModule,
        EventsModule,
        AgreementsModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          // Built in memory at start-up; `npm run schema:emit` writes the committed schema.graphql.
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          introspection: config.graphqlIntrospection,
          validationRules: [depthLimitRule(config.graphqlMaxDepth)],
          // Nest's GraphiQL loads from a CDN: off (Nest then disables Apollo's landing page too); a browser
          // gets the local GraphiQL of src/api-docs instead.
          graphiql: false,
          plugins: [complexityLimitPlugin(config.graphqlMaxComplexity)],
          // Field resolvers (@ResolveField) pass the authorization guard too.
          fieldResolverEnhancers: ['guards'],
          includeStacktraceInErrorResponses: false,
          formatError: formatGraphqlError,
        }),
        FeaturesModule,
        CatalogModule,
        ScoringModule,
        QualityModule,
        SloModule,
        MonitoringModule,
        PoliciesModule,
        OpenLineageModule,
        ApiDocsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
