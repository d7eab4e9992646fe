import { Injectable, Logger } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import { ModelRegistryService } from '../registry/model-registry.service';
import { ScoringError, ScoringErrorCode } from '../scoring-error';
import { type DeploymentAction, type DeploymentChange, type DeploymentSnapshot, type DeploymentState, type PredictRoute, snapshot } from './deployment';
import { DeploymentRepository } from './deployment.repository';

/** Shadows score every request again; a few are plenty for comparing candidates. */
export const MAX_SHADOWS = 3;
/** Former production versions kept for rollback. */
const MAX_PREVIOUS = 20;

/** The deployment a change starts from; production is null only before anything was ever deployed. */
type Base = Omit<DeploymentSnapshot, 'production'> & { production: string | null };

const conflict = (message: string) => new ScoringError(ScoringErrorCode.DEPLOYMENT_CONFLICT, message);

/**
 * Deployments of model versions (ADR 0011): production, a sticky canary, shadows. Every change runs
 * under a per-model lock, moves the registry stage when production changes, and is recorded with
 * who made it and the deployment before and after.
 */
@Injectable()
export class DeploymentService {
  private readonly logger = new Logger('Deployments');
  private readonly routes = new Map<string, { route: Promise<PredictRoute>; until: number }>();

  constructor(
    private readonly repository: DeploymentRepository,
    private readonly registry: ModelRegistryService,
    private readonly config: TesseraConfig,
    private readonly changes: ChangeFeed,
  ) {
    // A deployment or stage change of any model, on any replica: routes are re-read (one query per model).
    changes.subscribe('models', (model) => (model ? this.routes.delete(model) : this.routes.clear()));
  }

  /** The current deployment; null when the model was never deployed (predict then uses its production stage). */
  async current(name: string): Promise<DeploymentState | null> {
    const found = await this.repository.find(null, name);
    if (!found) await this.registry.get(name); // MODEL_NOT_FOUND for unknown models
    return found;
  }

  async history(name: string, limit = 100): Promise<DeploymentChange[]> {
    await this.registry.get(name);
    return this.repository.history(name, Math.max(1, Math.min(limit, 1000)));
  }

  deploy(name: string, version: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'deploy', by, [version], (b, [v]) => promote(b, v));
  }

  setCanary(name: string, version: string, percent: number, by: string): Promise<DeploymentState> {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100 || Math.round(percent * 100) !== percent * 100) {
      throw new ScoringError(ScoringErrorCode.INVALID_DEPLOYMENT, `percent must be between 0 and 100 with at most two decimals, got ${percent}`, [{ field: 'percent', reason: 'between 0 and 100' }]);
    }
    return this.change(name, 'set_canary', by, [version], (b, [v]) => {
      if (v === b.production) throw conflict(`${name} ${v} is the production version; a canary must be another version`);
      return { ...b, canary: { version: v, percent }, shadows: b.shadows.filter((s) => s !== v) };
    });
  }

  clearCanary(name: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'clear_canary', by, [], (b) => ({ ...b, canary: null }));
  }

  addShadow(name: string, version: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'add_shadow', by, [version], (b, [v]) => {
      if (v === b.production) throw conflict(`${name} ${v} is the production version; it cannot also be a shadow`);
      if (v === b.canary?.version) throw conflict(`${name} ${v} is the canary; clear the canary before shadowing it`);
      if (b.shadows.includes(v)) return b;
      if (b.shadows.length >= MAX_SHADOWS) {
        throw new ScoringError(ScoringErrorCode.INVALID_DEPLOYMENT, `${name} has ${b.shadows.length} shadows already (${b.shadows.join(', ')}); at most ${MAX_SHADOWS}`, [
          { field: 'version', reason: 'too many shadows' },
        ]);
      }
      return { ...b, shadows: [...b.shadows, v] };
    });
  }

  removeShadow(name: string, version: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'remove_shadow', by, [version], (b, [v]) => ({ ...b, shadows: b.shadows.filter((s) => s !== v) }));
  }

  promoteCanary(name: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'promote_canary', by, [], (b) => {
      if (!b.canary) throw conflict(`${name} has no canary to promote`);
      return promote(b, b.canary.version);
    });
  }

  /** Back to the production version before the current one; the current one leaves the deployment. */
  rollback(name: string, by: string): Promise<DeploymentState> {
    return this.change(name, 'rollback', by, [], (b) => {
      const restored = b.previous[b.previous.length - 1];
      if (!restored) throw conflict(`${name} has no previous production version to roll back to`);
      return {
        production: restored,
        previous: b.previous.slice(0, -1),
        canary: b.canary?.version === restored ? null : b.canary,
        shadows: b.shadows.filter((s) => s !== restored),
      };
    });
  }

  /**
   * How predict routes `name`: its deployment, else the production-stage version alone. Cached per
   * replica until the change feed says the model changed (ADR 0018); TESSERA_DEPLOYMENT_CACHE_MS only
   * bounds a replica that could hear of no change.
   */
  route(name: string): Promise<PredictRoute> {
    const now = Date.now();
    const hit = this.routes.get(name);
    if (hit && hit.until > now) return hit.route;
    const route = this.loadRoute(name);
    this.routes.set(name, { route, until: now + this.config.deploymentCacheMs });
    route.catch(() => this.routes.delete(name));
    return route;
  }

  private async loadRoute(name: string): Promise<PredictRoute> {
    const d = await this.repository.find(null, name);
    if (d) return { name, production: d.production, canary: d.canary, shadows: d.shadows, source: 'deployment' };
    const [production] = await this.registry.list({ name, stage: 'production' });
    if (production) return { name, production: production.version, canary: null, shadows: [], source: 'stage' };
    await this.registry.get(name); // MODEL_NOT_FOUND when nothing is registered
    throw new ScoringError(ScoringErrorCode.MODEL_NOT_DEPLOYED, `model ${name} has no deployment and no production version: deploy one (deployModel) first`);
  }

  /**
   * One change: lock, read, compute, move the stage when production changes, store, record. The
   * registry's setStage runs in its own transaction first (it archives the old production version);
   * if storing the deployment then fails, the stage is moved back, best effort.
   */
  private async change(name: string, action: DeploymentAction, by: string, versions: string[], compute: (base: Base, versions: string[]) => Base): Promise<DeploymentState> {
    // Unknown models and versions fail here, before any lock: MODEL_NOT_FOUND / MODEL_VERSION_NOT_FOUND.
    if (versions.length === 0) await this.registry.get(name);
    const clean = await Promise.all(versions.map(async (v) => (await this.registry.get(name, v)).version));
    try {
      return await this.repository.transaction(async (m) => {
        await this.repository.lock(m, name);
        const before = await this.repository.find(m, name);
        const base: Base = before ? snapshot(before) : { production: await this.stageProduction(name), canary: null, shadows: [], previous: [] };
        const next = compute(base, clean);
        if (next.production === null) throw conflict(`${name} has no production version: deployModel one first`);
        const after: DeploymentSnapshot = { ...next, production: next.production };
        if (before && JSON.stringify(after) === JSON.stringify(snapshot(before))) return before;
        const moved = after.production !== base.production || !before;
        if (moved) await this.registry.setStage(name, after.production, 'production', by);
        try {
          await this.repository.save(m, { name, ...after }, by);
          await this.repository.recordChange(m, name, action, before ? snapshot(before) : null, after, by);
          await this.changes.publish(m, 'models', name);
          return (await this.repository.find(m, name))!;
        } catch (err) {
          if (moved && base.production) await this.restoreStage(name, base.production, by);
          throw err;
        }
      });
    } finally {
      this.routes.delete(name);
    }
  }

  private async stageProduction(name: string): Promise<string | null> {
    const [v] = await this.registry.list({ name, stage: 'production' });
    return v?.version ?? null;
  }

  private async restoreStage(name: string, version: string, by: string): Promise<void> {
    try {
      await this.registry.setStage(name, version, 'production', by);
    } catch (err) {
      this.logger.error(`could not move ${name} ${version} back to production after a failed deployment change: ${String(err)}`);
    }
  }
}

/** `version` becomes production; the old production is remembered for rollback. */
function promote(b: Base, version: string): Base {
  const previous = b.production && b.production !== version ? [...b.previous, b.production].slice(-MAX_PREVIOUS) : b.previous;
  return {
    production: version,
    previous,
    canary: b.canary?.version === version ? null : b.canary,
    shadows: b.shadows.filter((s) => s !== version),
  };
}
