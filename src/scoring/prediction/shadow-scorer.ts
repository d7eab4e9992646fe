import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { PredictionLogEntry, PredictionLogSink } from '../prediction-log/prediction-log-entry';
import type { ModelVersionView } from '../registry/model-version';
import type { OnlineColumns } from './feature-assembly';
import { ModelSessionCache } from './model-session.cache';
import { checkRequestColumn } from './request-features';
import { rowOutputs, scoreVersion } from './score-version';

/** What shadows need of the request they follow: the same rows and the same feature snapshot. */
export interface ShadowContext {
  requestId: string;
  /** Per row, the request it came from, when several requests were scored as one (ADR 0027). */
  rowRequestIds?: string[];
  entities: Record<string, unknown[]>;
  requestFeatures: Record<string, unknown[]>;
  rows: number;
  online: OnlineColumns;
  /** performance.now() when the predict call began. */
  started: number;
}

/**
 * Shadow versions score every row of a request after it was answered, with the feature values the
 * answer used (one read serves both), and their results go to the prediction log only (role
 * `shadow`). A shadow failing never affects the answer; it is logged as a warning.
 */
@Injectable()
export class ShadowScorer {
  private readonly logger = new Logger('ShadowScoring');

  constructor(private readonly sessions: ModelSessionCache) {}

  /** `readable`: shadows whose join keys the request carries (their features were read). */
  score(shadows: ModelVersionView[], readable: ModelVersionView[], ctx: ShadowContext, sink: PredictionLogSink): void {
    for (const shadow of shadows) {
      this.scoreOne(shadow, readable.includes(shadow), ctx).then(
        (entries) => sink.record(entries),
        (err: unknown) => this.logger.warn(`shadow ${shadow.name} ${shadow.version} failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
  }

  private async scoreOne(shadow: ModelVersionView, readable: boolean, ctx: ShadowContext): Promise<PredictionLogEntry[]> {
    const all = Array.from({ length: ctx.rows }, (_, i) => i);
    const unusable = readable ? this.requestProblem(shadow, ctx) : 'the request lacks join keys of this version';
    const score = unusable ? null : await scoreVersion(this.sessions, shadow, all, ctx.online, ctx.requestFeatures);
    const latencyMs = performance.now() - ctx.started;
    const at = new Date();
    const keys = Object.keys(ctx.entities);
    const position = new Map((score?.accepted ?? []).map((r, k) => [r, k]));
    return all.map((i) => {
      const a = score?.assembled[i];
      const rejected = unusable ?? a?.rejected;
      return {
        requestId: ctx.rowRequestIds?.[i] ?? ctx.requestId,
        model: shadow.name,
        version: shadow.version,
        role: 'shadow' as const,
        entity: Object.fromEntries(keys.map((k) => [k, ctx.entities[k][i]])),
        features: a?.features ?? {},
        statuses: a?.statuses ?? {},
        outputs: score ? rowOutputs(score, i, position) : {},
        ...(rejected ? { rejected } : {}),
        latencyMs,
        at,
      };
    });
  }

  /** A shadow may take request inputs the answering versions do not: missing or wrong ones reject its rows. */
  private requestProblem(shadow: ModelVersionView, ctx: ShadowContext): string | null {
    for (const decl of shadow.requestInputs) {
      if (!Object.hasOwn(ctx.requestFeatures, decl.name)) return `request feature ${decl.name} missing`;
      const [p] = checkRequestColumn(decl, ctx.requestFeatures[decl.name], ctx.rows);
      if (p) return `${p.field}: ${p.reason}`;
    }
    return null;
  }
}
