import { z } from 'zod';
import { MAX_ENTITY_ROWS } from '../../features/serving/serving-request';
import { ScoringError, ScoringErrorCode, type ScoringProblem } from '../scoring-error';

/** `POST /v1/models/{name}/predict` body: column-major entity rows plus request-time inputs. */
export const predictBody = z.strictObject({
  entities: z.record(z.string().min(1), z.array(z.unknown())),
  request_features: z.record(z.string().min(1), z.array(z.unknown())).optional(),
});

export interface PredictRequest {
  entities: Record<string, unknown[]>;
  requestFeatures: Record<string, unknown[]>;
}

export function invalidRequest(problems: ScoringProblem[]): ScoringError {
  const summary = problems
    .slice(0, 3)
    .map((p) => `${p.field}: ${p.reason}`)
    .join('; ');
  return new ScoringError(ScoringErrorCode.INVALID_PREDICT_REQUEST, `invalid predict request: ${summary}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`, problems);
}

/**
 * Checks the entity columns against the join keys the answering versions need; returns the row count.
 * Every column must be a needed join key and all must have the same length.
 */
export function checkEntityColumns(entities: Record<string, unknown[]>, joinKeys: Set<string>, model: string): number {
  const columns = Object.keys(entities);
  const problems: ScoringProblem[] = [];
  for (const k of joinKeys) if (!Object.hasOwn(entities, k)) problems.push({ field: `entities.${k}`, reason: `missing: model ${model} needs join key ${k}` });
  for (const c of columns) {
    if (!joinKeys.has(c)) problems.push({ field: `entities.${c}`, reason: `not a join key of model ${model}'s feature views (${[...joinKeys].join(', ')})` });
  }
  const rows = entities[columns[0]]?.length ?? 0;
  for (const c of columns) {
    if (entities[c].length !== rows) problems.push({ field: `entities.${c}`, reason: `has ${entities[c].length} values; ${columns[0]} has ${rows}` });
    entities[c].forEach((v, i) => {
      if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'number')) {
        if (problems.length < 10) problems.push({ field: `entities.${c}[${i}]`, reason: `join key values are numbers or strings, got ${JSON.stringify(v) ?? 'undefined'}` });
      }
    });
  }
  if (problems.length === 0 && rows === 0) problems.push({ field: 'entities', reason: 'no entity rows: send at least one value per join key' });
  if (rows > MAX_ENTITY_ROWS) problems.push({ field: 'entities', reason: `${rows} rows; at most ${MAX_ENTITY_ROWS} per request` });
  if (problems.length > 0) throw invalidRequest(problems);
  return rows;
}
