import { Injectable } from '@nestjs/common';
import { DeploymentService } from '../deployments/deployment.service';
import { MODEL_BUNDLE_FORMAT, type ModelBundle } from './model-bundle';
import { ModelBlobStore } from './model-blob.store';
import { ModelRegistryService } from './model-registry.service';

/** Builds model bundles (ADR 0032) from the registry's immutable versions. */
@Injectable()
export class ModelBundleService {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly deployments: DeploymentService,
    private readonly blobs: ModelBlobStore,
  ) {}

  /**
   * One version's bundle; without a version, the version `/predict` answers with for rows outside a
   * canary (the deployment's production, else the production stage, else the highest registered),
   * so an embedding process scores what the service would.
   */
  async bundle(name: string, version?: string): Promise<ModelBundle> {
    const wanted = version ?? (await this.deployments.route(name)).production;
    const v = await this.registry.get(name, wanted);
    const bytes = await this.blobs.get(v.sha256); // verified against the sha256 on the way out
    return {
      format: MODEL_BUNDLE_FORMAT,
      name: v.name,
      version: v.version,
      sha256: v.sha256,
      sizeBytes: v.sizeBytes,
      featureService: v.featureService,
      features: v.features,
      signature: { inputs: v.inputs, outputs: v.outputs, requestInputs: v.requestInputs },
      onMissing: v.onMissing,
      defaults: v.defaults,
      onnx: bytes.toString('base64'),
    };
  }
}
