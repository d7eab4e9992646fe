import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { ARROW_STREAM, wantsArrow } from '../../features/retrieval/historical-features.input';
import { PredictionLogService } from './prediction-log.service';

export const JSON_MAX_ENTRIES = 10_000;
export const ARROW_MAX_ENTRIES = 1_000_000;

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const exportQuery = z.strictObject({
  version: z.string().min(1).optional(),
  role: z.enum(['production', 'canary', 'shadow']).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  limit: z.coerce.number().int().min(1).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Alternative to the Accept header, for browsers and curl -O. */
  format: z.enum(['json', 'arrow']).optional(),
});

@Controller('v1/models')
export class PredictionLogController {
  constructor(private readonly service: PredictionLogService) {}

  /**
   * The prediction log of a model: JSON `{"model", "entries": [...]}` (at most 10k entries, default 1000), or
   * an Arrow IPC stream (`Accept: application/vnd.apache.arrow.stream` or `format=arrow`; at most 1M,
   * default 100k) with one typed column per entity key, feature, status and output, streamed page by page.
   */
  @Get(':name/prediction-log')
  @ApiDoc({
    tag: 'models',
    summary: 'The prediction log of a model',
    description: 'JSON, or an Arrow IPC stream (Accept header or format=arrow).',
    query: exportQuery,
    params: { name: 'model name' },
    produces: [ARROW_STREAM],
  })
  @Authorize('models.read')
  async export(@Param('name') name: string, @Query() query: unknown, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const q = parseBody(exportQuery, query ?? {});
    const filter = { model: name, version: q.version, role: q.role, since: q.since, until: q.until, order: q.order };
    if (q.format === 'arrow' || (q.format === undefined && wantsArrow(accept))) {
      const bytes = await this.service.arrow(filter, q.limit ?? 100_000, ARROW_MAX_ENTRIES);
      void reply
        .status(200)
        .header('content-type', ARROW_STREAM)
        .send(Readable.from(bytes, { objectMode: false }));
      return;
    }
    const entries = await this.service.list(filter, q.limit ?? 1_000, JSON_MAX_ENTRIES);
    void reply.status(200).send({ model: name, entries });
  }
}
