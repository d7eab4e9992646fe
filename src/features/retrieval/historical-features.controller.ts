import { Body, Controller, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { TesseraConfig } from '../../config/tessera-config';
import { readArrowEntities } from './arrow-entity-reader';
import { ARROW_STREAM, arrowRetrieval, arrowRetrievalQuery, HistoricalFeaturesBody, historicalFeaturesBody, isArrowBody, MAX_JSON_ROWS, wantsArrow } from './historical-features.input';
import { HistoricalFeaturesService } from './historical-features.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

@Controller('v1')
export class HistoricalFeaturesController {
  constructor(
    private readonly service: HistoricalFeaturesService,
    private readonly config: TesseraConfig,
  ) {}

  /**
   * Point-in-time correct feature values for entity rows: JSON `{"columns": {...}}`, or an Arrow IPC
   * stream (one record batch per 10k rows, with backpressure) when the client accepts one. The entity
   * rows come as a JSON body, or as an Arrow IPC body with the rest of the request in the query string.
   */
  @Post('historical-features')
  @ApiDoc({
    tag: 'feature store',
    summary: 'Point-in-time-correct training set (Feast get_historical_features)',
    description:
      'JSON columns, or an Arrow IPC stream with Accept: application/vnd.apache.arrow.stream. The entity rows are either the JSON body ({features|feature_service, entities, full_feature_names}) or, with Content-Type: application/vnd.apache.arrow.stream, an Arrow IPC stream (one column per entity column) with features/feature_service/full_feature_names in the query string; an Arrow body is limited by TESSERA_ENTITY_MAX_ROWS rows, not by the body limit.',
    body: historicalFeaturesBody,
    query: arrowRetrievalQuery,
    produces: [ARROW_STREAM],
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
    const request = await this.request(body, query, contentType);
    if (wantsArrow(accept)) {
      const bytes = await this.service.arrow(request, who);
      void reply
        .status(200)
        .header('content-type', ARROW_STREAM)
        .send(Readable.from(bytes, { objectMode: false }));
      return;
    }
    void reply.status(200).send(await this.service.columns(request, MAX_JSON_ROWS, 'JSON', who));
  }

  /** The retrieval from a JSON body, or from the query string and an Arrow IPC body read as it arrives. */
  private async request(body: unknown, query: unknown, contentType: string | undefined): Promise<HistoricalFeaturesBody> {
    if (!isArrowBody(contentType)) return parseBody(historicalFeaturesBody, body);
    const request = arrowRetrieval(parseBody(arrowRetrievalQuery, query ?? {}));
    return { ...request, entities: await readArrowEntities(body as AsyncIterable<Uint8Array>, this.config.entityMaxRows) };
  }
}
