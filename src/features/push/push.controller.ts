import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { bodyField, featureViews } from '../../governance/auth/resources';
import { PushResult, PushService } from './push.service';

export const MAX_PUSH_ROWS = 100_000;

const pushBody = z.object({
  push_source_name: z.string().min(1, 'required: the feature view to push to'),
  df: z.record(z.string(), z.array(z.unknown()).max(MAX_PUSH_ROWS, `at most ${MAX_PUSH_ROWS} rows per push`)),
  to: z.enum(['online', 'offline', 'online_and_offline']).default('online'),
  allow_registry_cache: z.boolean().optional(),
});

/** Feast-compatible `POST /push` (same body as Feast's Python feature server). */
@Controller()
export class PushController {
  constructor(private readonly push: PushService) {}

  @Post('push')
  @ApiDoc({ tag: 'feature store', summary: 'Push rows to a feature view (Feast push)', body: pushBody })
  @Authorize('features.push', featureViews(bodyField('push_source_name')))
  @HttpCode(200)
  async handle(@Body() body: unknown): Promise<PushResult> {
    const b = parseBody(pushBody, body);
    return this.push.push(b.push_source_name, b.df, b.to);
  }
}
