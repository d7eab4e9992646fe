import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What drift needs of a training dataset: its stored table and which column holds each feature. */
export interface TrainingReference {
  id: string;
  table: string;
  /** `view:feature` → column name. */
  featureColumns: Map<string, string>;
  rowCount: number;
}

export interface ServingSample {
  /** Rows scored (not rejected), each with the feature values it used and its outputs. */
  scored: { features: Record<string, unknown>; outputs: Record<string, unknown> }[];
  /** Per feature, rows whose online value was missing (any status but PRESENT), rejected rows included. */
  missing: Map<string, number>;
  /** All logged rows, rejected ones included. */
  total: number;
}

/** Rows per side: enough for decile bins to be stable (±1% per bin), cheap to pull. */
export const SAMPLE_ROWS = 50_000;

/** Reads for drift: training dataset tables and the prediction log. */
@Injectable()
export class DriftRepository {
  constructor(private readonly ds: DataSource) {}

  async trainingReference(datasetId: string): Promise<TrainingReference | null> {
    const m = /^(.+)@(\d+)$/.exec(datasetId);
    if (!m) return null;
    const rows = await this.ds.query<{
      table_name: string;
      columns: { name: string; role: string; feature: string | null }[];
      row_count: string;
    }[]>(`SELECT name, version, table_name, columns, row_count FROM tessera.training_datasets WHERE name = $1 AND version = $2`, [m[1], Number(m[2])]);
    const r = rows[0];
    if (!r) return null;
    const featureColumns = new Map(r.columns.filter((c) => c.role === 'feature' && c.feature).map((c) => [c.feature!, c.name]));
    return { id: datasetId, table: `tessera_datasets."${r.table_name.replace(/"/g, '""')}"`, featureColumns, rowCount: Number(r.row_count) };
  }

  /** Feature columns of the training rows as numbers (NULL stays null), in row order, at most SAMPLE_ROWS. */
  async trainingRows(ref: TrainingReference, features: string[]): Promise<(number | null)[][]> {
    const cols = features.map((f) => `"${ref.featureColumns.get(f)!.replace(/"/g, '""')}"::float8`);
    const rows = await this.ds.query<Record<string, number | null>[]>(`SELECT ${cols.map((c, i) => `${c} AS f${i}`).join(', ')} FROM ${ref.table} ORDER BY _row LIMIT ${SAMPLE_ROWS}`);
    return rows.map((r) => features.map((_, i) => r[`f${i}`]));
  }

  /** Versions that answer traffic: every deployment's production and canary (shadows too: they are logged). */
  async liveVersions(): Promise<{ model: string; version: string }[]> {
    const rows = await this.ds.query<{ model: string; version: string }[]>(
      `SELECT DISTINCT name AS model, v AS version FROM tessera.model_deployments,
              unnest(array_remove(ARRAY[production_version, canary_version], NULL) || shadow_versions) AS v
       ORDER BY 1, 2`,
    );
    return rows;
  }

  /** The newest logged rows of a model version in [since, until), at most SAMPLE_ROWS. */
  async servingSample(model: string, version: string, since: Date, until: Date, features: string[]): Promise<ServingSample> {
    const rows = await this.ds.query<{ features: Record<string, unknown>; outputs: Record<string, unknown>; statuses: Record<string, string>; rejected: string | null }[]>(
      `SELECT features, outputs, statuses, rejected FROM tessera.prediction_log
       WHERE model = $1 AND version = $2 AND at >= $3 AND at < $4 ORDER BY at DESC LIMIT ${SAMPLE_ROWS}`,
      [model, version, since, until],
    );
    const missing = new Map(features.map((f) => [f, 0]));
    const scored: ServingSample['scored'] = [];
    for (const r of rows) {
      for (const f of features) if ((r.statuses?.[f] ?? 'NOT_FOUND') !== 'PRESENT') missing.set(f, missing.get(f)! + 1);
      if (r.rejected === null) scored.push({ features: r.features, outputs: r.outputs });
    }
    return { scored, missing, total: rows.length };
  }
}
