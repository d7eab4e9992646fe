import * as ort from 'onnxruntime-node';
import type { TesseraClient } from './client';
import { verifyBundle } from './bundle';
import { BundleScorer, type LocalPrediction, type OrtModule } from './scorer';

/**
 * A model running in the caller's process: its bundle downloaded and verified once, features read
 * from the online route on every call. Deployment routing (canary, shadows) and the prediction log
 * stay on the service; this scores the one version it loaded.
 */
export class LocalModel {
  constructor(
    private readonly client: TesseraClient,
    readonly scorer: BundleScorer,
  ) {}

  get name(): string {
    return this.scorer.bundle.name;
  }
  get version(): string {
    return this.scorer.bundle.version;
  }

  async predict(entities: Record<string, unknown[]>, requestFeatures: Record<string, readonly unknown[]> = {}): Promise<LocalPrediction> {
    const b = this.scorer.bundle;
    const online = await this.client.onlineFeatures({ features: b.features.map((f) => f.ref), entities, full_feature_names: true });
    return this.scorer.score(online, Object.keys(entities).length, requestFeatures);
  }

  release(): Promise<void> {
    return this.scorer.release();
  }
}

/** Downloads `name` (at `version`, else the version predict answers with), verifies its sha256 and loads it in onnxruntime-node. */
export async function loadModel(client: TesseraClient, name: string, version?: string, runtime: OrtModule = ort): Promise<LocalModel> {
  const verified = await verifyBundle(await client.bundle(name, version));
  return new LocalModel(client, await BundleScorer.create(runtime, verified));
}
