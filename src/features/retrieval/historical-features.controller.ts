import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { ARROW_STREAM, historicalFeaturesBody, MAX_JSON_ROWS, wantsArrow } from './historical-features.input';
import { HistoricalFeaturesService } from './historical-features.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';

@Controller('v1')
export class HistoricalFeaturesController {
  constructor(private readonly service: HistoricalFeaturesService) {}

  /**
   * Point-in-time correct feature values for entity rows: JSON `{"columns": {...}}`, or an Arrow IPC
   * stream (one record batch per 10k rows, with backpressure) when the client accepts one.
   */
  @Post('historical-features')
  @ApiDoc({
    tag: 'feature store',
    summary: 'Point-in-time-correct training set (Feast get_historical_features)',
    description: 'JSON columns, or an Arrow IPC stream with Accept: application/vnd.apache.arrow.stream.',
    body: historicalFeaturesBody,
    produces: [ARROW_STREAM],
  })
  @Authorize('features.read.offline')
  async retrieve(@Body() body: unknown, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply, @CurrentPrincipal() who: Principal): Promise<void> {
    const request = parseBody(historicalFeaturesBody, body);
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
}
