import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CatalogModule } from './catalog/catalog.module';
import { DatabaseModule } from './common/database/database.module';
import { formatGraphqlError } from './common/errors/graphql-error-formatter';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { HealthController } from './common/http/health.controller';
import { ConfigModule } from './config/config.module';
import { TesseraConfig } from './config/tessera-config';
import { FeaturesModule } from './features/features.module';
import { ObservabilityModule } from './observability/observability.module';
import { ScoringModule } from './scoring/scoring.module';

@Module({})
export class AppModule {
  static forRoot(config: TesseraConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(dataSource),
        ObservabilityModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          // Built in memory at start-up; `npm run schema:emit` writes the committed schema.graphql.
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          introspection: true,
          includeStacktraceInErrorResponses: false,
          formatError: formatGraphqlError,
        }),
        FeaturesModule,
        CatalogModule,
        ScoringModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
