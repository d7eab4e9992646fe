import { Body, Controller, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { z } from 'zod';
import { CommonError, CommonErrorCode } from '../../common/errors/common-error';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { productParam } from '../../governance/auth/resources';
import { INGEST_MEDIA_TYPES, IngestMediaType, IngestResult, OfflineIngestService } from './offline-ingest.service';

const ingestQuery = z.strictObject({
  major: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a non-negative integer')
    .transform(Number)
    .optional(),
});

@Controller('v1/data-products')
export class IngestController {
  constructor(private readonly ingest: OfflineIngestService) {}

  /** Rows into a table output port's offline table: NDJSON, CSV (header row) or an Arrow IPC stream. */
  @Post(':productId/ports/:port/rows')
  @ApiDoc({
    tag: 'feature store',
    summary: 'Rows into a table output port, validated against its contract',
    body: {
      contentTypes: ['application/x-ndjson', 'text/csv', 'application/vnd.apache.arrow.stream'],
      description: 'NDJSON (one object per line), CSV with a header row, or an Arrow IPC stream; columns are the contract properties.',
    },
    query: ingestQuery,
    params: { productId: 'data product id', port: 'output port name' },
    responses: { 422: 'a row or a blocking quality rule failed; nothing stored' },
  })
  @Authorize('features.ingest', productParam('productId'))
  @HttpCode(200)
  async rows(@Param('productId') productId: string, @Param('port') port: string, @Query() query: unknown, @Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<IngestResult> {
    const { major } = parseBody(ingestQuery, query ?? {});
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!(INGEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
      throw new CommonError(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, `Content-Type must be one of ${INGEST_MEDIA_TYPES.join(', ')}`);
    }
    return this.ingest.ingestBody(productId, port, mediaType as IngestMediaType, body, { major });
  }
}
