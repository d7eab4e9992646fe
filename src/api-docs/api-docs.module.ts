import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiDocsController } from './api-docs.controller';
import { OpenApiService } from './openapi.service';

/** Developer surfaces: /openapi.json, the /docs reference page and (developer-pages.ts) the GraphQL IDE. */
@Module({
  imports: [DiscoveryModule],
  controllers: [ApiDocsController],
  providers: [OpenApiService],
  exports: [OpenApiService],
})
export class ApiDocsModule {}
