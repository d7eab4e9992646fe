import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { ModelsResolver } from './graphql/models.resolver';
import { ModelBlobStore } from './registry/model-blob.store';
import { ModelRegistryService } from './registry/model-registry.service';
import { ModelVersionRepository } from './registry/model-version.repository';
import { ModelsController } from './rest/models.controller';

/** In-process ONNX scoring: the model registry now; prediction, deployments and the prediction log next (issue 4). */
@Module({
  controllers: [ModelsController],
  providers: [ModelVersionRepository, ModelBlobStore, ModelRegistryService, ModelsResolver],
  exports: [ModelRegistryService],
})
export class ScoringModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * Model uploads are multipart. The Fastify adapter owns the @fastify/multipart registration
   * (idempotent, root context, loaded before the server is ready); limits are set per request.
   */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as unknown as Partial<FastifyAdapter> | undefined;
    adapter?.useMultipart?.();
  }
}
