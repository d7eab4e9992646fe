import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { TesseraConfig } from '../../config/tessera-config';
import { isEntityFileBody } from '../retrieval/entity-body';
import { ARROW_STREAM, asyncQuery, takeAsync, wantsArrow } from '../retrieval/historical-features.input';
import { arrowSaveQuery, datasetPath, listQuery, MAX_JSON_EXPORT_ROWS, parseArrowSaveQuery, parseSaveBody, rowsQuery, saveBodyDescription } from './training-dataset.input';
import { SaveOutcome, TrainingDatasetService } from './training-dataset.service';
import type { TrainingDataset } from './training-dataset';

@Controller('v1/training-datasets')
export class TrainingDatasetController {
  constructor(
    private readonly datasets: TrainingDatasetService,
    private readonly config: TesseraConfig,
  ) {}

  /**
   * Runs the retrieval (same body as POST /v1/historical-features, plus name) and stores it as the next
   * version: 201 and the dataset; or 202 and a retrieval job when asked (`async`) or from
   * TESSERA_RETRIEVAL_JOB_ROWS entity rows on (the request is checked in full before either).
   */
  @Post()
  @ApiDoc({
    tag: 'feature store',
    summary: 'Save a retrieval as the next version of a training dataset',
    description:
      'A JSON body, or with Content-Type: application/vnd.apache.arrow.stream (or application/vnd.apache.parquet) the entity rows as an Arrow IPC stream (or a Parquet file) and name, description, features/feature_service, full_feature_names in the query string (at most TESSERA_ENTITY_MAX_ROWS rows). With "async": true (or ?async=true), or from TESSERA_RETRIEVAL_JOB_ROWS entity rows on, the save runs as a retrieval job: 202 with the job (GET /v1/retrieval-jobs/{id}).',
    body: saveBodyDescription,
    query: arrowSaveQuery,
    responses: {
      201: 'saved',
      202: 'queued as a retrieval job: {"job": {...}}, Location: /v1/retrieval-jobs/{id}',
      408: 'ENTITY_UPLOAD_STALLED: an Arrow or Parquet body sent nothing for TESSERA_ENTITY_UPLOAD_IDLE_MS (the upload is rolled back)',
    },
  })
  // Saving is a retrieval whose answer is kept: the same right as POST /v1/historical-features.
  @Authorize('features.read.offline')
  async save(@Body() body: unknown, @Query() query: unknown, @Headers('content-type') contentType: string | undefined, @CurrentPrincipal() who: Principal, @Res() reply: FastifyReply): Promise<void> {
    let outcome: SaveOutcome;
    if (isEntityFileBody(contentType)) {
      // The query string is checked before a byte of the body is read; the rows are COPYed as they arrive.
      const async = parseBody(asyncQuery, query ?? {}).async === 'true';
      outcome = await this.datasets.submitUpload(parseArrowSaveQuery(query), { contentType, body }, who, { async, kind: 'training-dataset' });
    } else {
      const { body: rest, async } = takeAsync(body, query);
      outcome = await this.datasets.submit(parseSaveBody(rest), who, { async, kind: 'training-dataset' });
    }
    if (outcome.job) void reply.status(202).header('location', `/v1/retrieval-jobs/${outcome.job.id}`).send({ job: outcome.job });
    else void reply.status(201).send(outcome.dataset);
  }

  @Get()
  @ApiDoc({ tag: 'feature store', summary: 'Training datasets, newest first', query: listQuery })
  @Authorize('catalog.read')
  async list(@Query() query: unknown): Promise<{ trainingDatasets: TrainingDataset[] }> {
    const q = parseBody(listQuery, query ?? {});
    return { trainingDatasets: await this.datasets.list(q.name, q.limit) };
  }

  @Get(':name/versions/:version')
  @ApiDoc({ tag: 'feature store', summary: 'One version of a training dataset (version or latest)', params: { name: 'dataset name', version: 'a version number or latest' } })
  @Authorize('catalog.read')
  async get(@Param() params: unknown): Promise<TrainingDataset> {
    const p = parseBody(datasetPath, params);
    return this.datasets.get(p.name, p.version);
  }

  /**
   * The stored rows in request order: an Arrow IPC stream (every row, or `limit` from `offset`) when
   * the client accepts one, else one JSON page `{"columns": {...}, "offset", "nextOffset", "totalRows"}`.
   */
  @Get(':name/versions/:version/rows')
  @ApiDoc({
    tag: 'feature store',
    summary: 'The stored rows of a training dataset',
    description: 'One JSON page, or every row as an Arrow IPC stream with Accept: application/vnd.apache.arrow.stream.',
    query: rowsQuery,
    params: { name: 'dataset name', version: 'a version number or latest' },
    produces: [ARROW_STREAM],
  })
  @Authorize('features.read.offline')
  async rows(@Param() params: unknown, @Query() query: unknown, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const p = parseBody(datasetPath, params);
    const q = parseBody(rowsQuery, query ?? {});
    const dataset = await this.datasets.get(p.name, p.version); // before streaming: a 404 still answers JSON
    if (wantsArrow(accept)) {
      const bytes = this.datasets.arrow(dataset, q.offset, q.limit ?? null);
      void reply
        .status(200)
        .header('content-type', ARROW_STREAM)
        .header('x-tessera-dataset', dataset.id)
        .send(Readable.from(bytes, { objectMode: false }));
      return;
    }
    const limit = Math.min(q.limit ?? MAX_JSON_EXPORT_ROWS, MAX_JSON_EXPORT_ROWS);
    void reply.status(200).send(await this.datasets.page(dataset, q.offset, limit));
  }
}
