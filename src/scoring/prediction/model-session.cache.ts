import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InferenceSession } from 'onnxruntime-node';
import { TesseraConfig } from '../../config/tessera-config';
import { ModelRegistryService } from '../registry/model-registry.service';
import { ModelRunner } from './model-runner';

/** The options registration loads models with (onnx-signature.ts), so what was checked is what runs. */
const SESSION_OPTIONS: InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };

/**
 * One InferenceSession per model version, created on first use and kept: versions are immutable, so
 * a session never goes stale. Concurrent first requests share one load.
 */
@Injectable()
export class ModelSessionCache implements OnModuleDestroy {
  private readonly runners = new Map<string, Promise<ModelRunner>>();

  constructor(
    private readonly registry: ModelRegistryService,
    private readonly config: TesseraConfig,
  ) {}

  runner(name: string, version: string): Promise<ModelRunner> {
    const key = `${name}@${version}`;
    let p = this.runners.get(key);
    if (!p) {
      p = this.load(name, version);
      this.runners.set(key, p);
      p.catch(() => this.runners.delete(key)); // a failed load (blob unavailable) is retried next time
    }
    return p;
  }

  /** Loaded runners, e.g. to read their run statistics. */
  async loaded(): Promise<Map<string, ModelRunner>> {
    const out = new Map<string, ModelRunner>();
    for (const [k, p] of this.runners) out.set(k, await p);
    return out;
  }

  private async load(name: string, version: string): Promise<ModelRunner> {
    const bytes = await this.registry.bytes(name, version);
    const session = await InferenceSession.create(bytes, SESSION_OPTIONS);
    return new ModelRunner(session, this.config.predictMicrobatch);
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.runners.values()];
    this.runners.clear();
    for (const p of all) {
      try {
        await (await p).session.release();
      } catch {
        // a load that failed has nothing to release
      }
    }
  }
}
