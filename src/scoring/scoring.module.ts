import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { CatalogModule } from '../catalog/catalog.module';
import { CatalogQueryModule } from '../catalog/query/catalog-query.module';
import { FeaturesModule } from '../features/features.module';
import { FeatureRegistryQueryModule } from '../features/registry/feature-registry-query.module';
import { ModelApplyExtension } from './apply/model-apply.extension';
import { BatchScoringJobRepository } from './batch/batch-scoring-job.repository';
import { BatchScoringTargets } from './batch/batch-scoring-target';
import { BatchScoringController } from './batch/batch-scoring.controller';
import { BatchScoringResolver } from './batch/batch-scoring.resolver';
import { BatchScoringRunner } from './batch/batch-scoring.runner';
import { BatchScoringService } from './batch/batch-scoring.service';
import { BatchScoringWorker } from './batch/batch-scoring.worker';
import { DeploymentRepository } from './deployments/deployment.repository';
import { DeploymentService } from './deployments/deployment.service';
import { DeploymentsResolver } from './deployments/deployments.resolver';
import { ModelsResolver } from './graphql/models.resolver';
import { PredictionLogModule } from './prediction-log/prediction-log.module';
import { ModelBlobStore } from './registry/model-blob.store';
import { ModelBundleService } from './registry/model-bundle.service';
import { ModelOwnershipModule } from './registry/model-ownership.module';
import { ModelRegistryService } from './registry/model-registry.service';
import { ModelVersionRepository } from './registry/model-version.repository';
import { ModelSessionCache } from './prediction/model-session.cache';
import { PredictionController } from './prediction/prediction.controller';
import { PredictionResolver } from './prediction/prediction.resolver';
import { PredictionService } from './prediction/prediction.service';
import { ShadowScorer } from './prediction/shadow-scorer';
import { FederatedTrainingService } from './training/federated/federated-training.service';
import { ModelTrafficQuery } from './query/model-traffic.query';
import { FederatedTrainingController } from './rest/federated-training.controller';
import { ModelBundleController } from './rest/model-bundle.controller';
import { ModelsController } from './rest/models.controller';
import { OnDemandBatch } from './on-demand/on-demand-batch';
import { OnDemandMetrics } from './on-demand/on-demand-metrics';
import { OnDemandService } from './on-demand/on-demand.service';

/** In-process ONNX scoring: the model registry now; prediction, deployments and the prediction log next (issue 4). */
@Module({
  // CatalogModule: Model documents register through the apply's extension hook (ModelApplyExtension).
  // FeaturesModule re-exports the registry and online serving that prediction reads features through.
  imports: [CatalogModule, CatalogQueryModule, ModelOwnershipModule, PredictionLogModule, FeaturesModule, FeatureRegistryQueryModule],
  controllers: [ModelsController, ModelBundleController, FederatedTrainingController, BatchScoringController],
  providers: [
    // A fast route (ADR 0037): routed by src/governance/auth/fast-routes.ts, not by Nest.
    PredictionController,
    ModelVersionRepository,
    ModelBlobStore,
    ModelRegistryService,
    ModelBundleService,
    FederatedTrainingService,
    ModelsResolver,
    ModelApplyExtension,
    ModelSessionCache,
    ShadowScorer,
    PredictionService,
    PredictionResolver,
    DeploymentRepository,
    DeploymentService,
    DeploymentsResolver,
    ModelTrafficQuery,
    BatchScoringJobRepository,
    BatchScoringTargets,
    BatchScoringRunner,
    BatchScoringWorker,
    BatchScoringService,
    BatchScoringResolver,
    OnDemandMetrics,
    OnDemandBatch,
    OnDemandService,
  ],
  exports: [ModelRegistryService, PredictionLogModule, ModelSessionCache, ModelTrafficQuery],
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
