import { Controller, Get, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { MetricsService } from './metrics.service';

/** Prometheus scrape endpoint; behind an API key like every route but the probes (scrapers send a bearer token). */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @ApiDoc({ tag: 'operations', summary: 'Prometheus metrics', produces: ['text/plain'] })
  @Authorize('metrics.read')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    void reply.header('content-type', contentType).send(body);
  }
}
