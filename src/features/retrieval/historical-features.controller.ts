import { Body, Controller, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { TesseraConfig } from '../../config/tessera-config';
import { parseRetrievalBody, retrievalBodyDescription } from '../datasets/training-dataset.input';
import { TrainingDatasetService } from '../datasets/training-dataset.service';
import { isEntityFileBody } from './entity-body';
import { ARROW_STREAM, arrowRetrieval, arrowRetrievalQuery, MAX_JSON_ROWS, takeAsync, wantsArrow } from './historical-features.input';
import { HistoricalFeaturesService } from './historical-features.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

/** Registered by DatasetsModule: entity queries and retrieval jobs are the datasets module's. */
@Controller('v1')
export class HistoricalFeaturesController {
  constructor(
    private readonly service: HistoricalFeaturesService,
    private readonly datasets: TrainingDatasetService,
    private readonly config: TesseraConfig,
  ) {}

  /**
   * Point-in-time correct feature values for entity rows: JSON `{"columns": {...}}`, or an Arrow IPC
   * stream (one record batch per 10k rows, with backpressure) when the client accepts one. The entity
   * rows come as a JSON body, as an Arrow IPC body with the rest of the request in the query string,
   * or as an entity query (`entities_from`). Asked to (`async`), or from TESSERA_RETRIEVAL_JOB_ROWS rows
   * on, it runs as a retrieval job instead: 202 and the job, whose answer is kept as a training dataset.
   */
  @Post('historical-features')
  @ApiDoc({
    tag: 'feature store',
    summary: 'Point-in-time-correct training set (Feast get_historical_features)',
    description:
      'JSON columns, or an Arrow IPC stream with Accept: application/vnd.apache.arrow.stream. The entity rows are either the JSON body ({features|feature_service, entities, full_feature_names}), or "entities_from" (the rows of an output port the caller may read, instead of entities), or, with Content-Type: application/vnd.apache.arrow.stream an Arrow IPC stream, or with application/vnd.apache.parquet a Parquet file (one column per entity column) with features/feature_service/full_feature_names in the query string; an Arrow body is limited by TESSERA_ENTITY_MAX_ROWS rows, not by the body limit. With "async": true (or ?async=true), or from TESSERA_RETRIEVAL_JOB_ROWS entity rows on, the retrieval runs as a job: 202 with the job (GET /v1/retrieval-jobs/{id}); its answer is kept as a training dataset version.',
    body: retrievalBodyDescription,
    query: arrowRetrievalQuery,
    produces: [ARROW_STREAM],
    responses: {
      202: 'queued as a retrieval job: {"job": {...}}, Location: /v1/retrieval-jobs/{id}',
      408: 'ENTITY_UPLOAD_STALLED: an Arrow or Parquet body sent nothing for TESSERA_ENTITY_UPLOAD_IDLE_MS (the upload is rolled back)',
    },
  })
  @Authorize('features.read.offline')
  async retrieve(
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() who: Principal,
  ): Promise<void> {
    if (isEntityFileBody(contentType)) return this.retrieveUpload(body, query, contentType, accept, reply, who);
    const { body: rest, async } = takeAsync(body, query);
    const { retrieval, entitiesFrom } = parseRetrievalBody(rest);
    const rows = Math.max(0, ...Object.values(retrieval.entities).map((c) => c.length));
    if (async || entitiesFrom || rows >= this.config.retrievalJobRows) {
      const outcome = await this.datasets.retrieveOrQueue({ retrieval, entitiesFrom }, who, async);
      if ('job' in outcome) {
        void reply.status(202).header('location', `/v1/retrieval-jobs/${outcome.job.id}`).send({ job: outcome.job });
      } else if (wantsArrow(accept)) {
        void reply
          .status(200)
          .header('content-type', ARROW_STREAM)
          .send(Readable.from(this.datasets.answerArrow(outcome.prepared), { objectMode: false }));
      } else {
        void reply.status(200).send(await this.datasets.answerColumns(outcome.prepared, MAX_JSON_ROWS, 'JSON'));
      }
      return;
    }
    if (wantsArrow(accept)) {
      const bytes = await this.service.arrow(retrieval, who);
      void reply
        .status(200)
        .header('content-type', ARROW_STREAM)
        .send(Readable.from(bytes, { objectMode: false }));
      return;
    }
    void reply.status(200).send(await this.service.columns(retrieval, MAX_JSON_ROWS, 'JSON', who));
  }

  /**
   * Entity rows as an Arrow IPC or Parquet body, the rest in the query string (checked before a byte
   * of the body is read): COPYed into PostgreSQL as they arrive, then answered or queued as a job.
   */
  private async retrieveUpload(body: unknown, query: unknown, contentType: string | undefined, accept: string | undefined, reply: FastifyReply, who: Principal): Promise<void> {
    const params = parseBody(arrowRetrievalQuery, query ?? {});
    const outcome = await this.datasets.retrieveUpload(arrowRetrieval(params), { contentType, body }, who, params.async === 'true', wantsArrow(accept) ? 'arrow' : 'json');
    if ('job' in outcome) void reply.status(202).header('location', `/v1/retrieval-jobs/${outcome.job.id}`).send({ job: outcome.job });
    else if ('arrow' in outcome)
      void reply
        .status(200)
        .header('content-type', ARROW_STREAM)
        .send(Readable.from(outcome.arrow, { objectMode: false }));
    else void reply.status(200).send(outcome.columns);
  }
}
