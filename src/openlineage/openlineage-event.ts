import type { RunDataset, RunTransition } from '../common/events/run-events';

/** The OpenLineage spec version Tessera's events follow (../shared/standards/openlineage/OpenLineage.json). */
const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
const FACETS = 'https://openlineage.io/spec/facets';
export const PRODUCER = 'https://github.com/tessera/tessera/releases/tag/v0.1.0';

const facet = (schemaURL: string, body: Record<string, unknown>) => ({ _producer: PRODUCER, _schemaURL: schemaURL, ...body });

/** A RunEvent as the spec defines it (only what Tessera fills in). */
export interface OpenLineageRunEvent {
  eventType: 'START' | 'COMPLETE' | 'FAIL';
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets?: Record<string, unknown> };
  job: { namespace: string; name: string; facets: Record<string, unknown> };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
}

interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Record<string, unknown>;
  outputFacets?: Record<string, unknown>;
}

/**
 * One run transition as an OpenLineage RunEvent: the job is `<kind>.<name>` in the configured
 * namespace, datasets are named after the mesh (product.port, feature view, training dataset) with
 * schema, data source, data quality metrics and output statistics facets where known.
 */
export function toRunEvent(e: RunTransition, namespace: string): OpenLineageRunEvent {
  const dataset = (d: RunDataset, output: boolean): OpenLineageDataset => {
    const facets: Record<string, unknown> = {};
    if (d.fields) {
      facets.schema = facet(`${FACETS}/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`, {
        fields: d.fields.map((f, i) => ({ name: f.name, type: f.type, ordinal_position: i + 1, ...(f.description ? { description: f.description } : {}) })),
      });
    }
    if (d.source) facets.dataSource = facet(`${FACETS}/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet`, { name: d.source.name, uri: d.source.uri });
    if (output && e.type !== 'START' && d.nullCounts) {
      facets.dataQualityMetrics = facet(`${FACETS}/1-0-0/DataQualityMetricsDatasetFacet.json#/$defs/DataQualityMetricsDatasetFacet`, {
        ...(d.checkedRows === undefined ? {} : { rowCount: d.checkedRows }),
        columnMetrics: Object.fromEntries(Object.entries(d.nullCounts).map(([c, n]) => [c, { nullCount: n, ...(d.checkedRows === undefined ? {} : { count: d.checkedRows - n }) }])),
      });
    }
    const out: OpenLineageDataset = { namespace, name: d.name };
    if (Object.keys(facets).length > 0) out.facets = facets;
    if (output && e.type !== 'START' && d.rowCount !== undefined) {
      out.outputFacets = { outputStatistics: facet(`${FACETS}/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet`, { rowCount: d.rowCount }) };
    }
    return out;
  };
  const event: OpenLineageRunEvent = {
    eventType: e.type,
    eventTime: e.at.toISOString(),
    producer: PRODUCER,
    schemaURL: `${SPEC}#/$defs/RunEvent`,
    run: { runId: e.runId },
    job: {
      namespace,
      name: `${e.kind}.${e.job}`,
      facets: {
        jobType: facet(`${FACETS}/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`, {
          processingType: e.kind === 'stream' ? 'STREAMING' : 'BATCH',
          integration: 'TESSERA',
          jobType: e.kind.toUpperCase(),
        }),
      },
    },
    inputs: e.inputs.map((d) => dataset(d, false)),
    outputs: e.outputs.map((d) => dataset(d, true)),
  };
  if (e.type === 'FAIL') {
    event.run.facets = {
      errorMessage: facet(`${FACETS}/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`, { message: e.error ?? 'failed', programmingLanguage: 'TypeScript' }),
    };
  }
  return event;
}
