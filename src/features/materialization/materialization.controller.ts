import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { bodyField, featureViews } from '../../governance/auth/resources';
import type { MaterializationJob } from './materialization-job';
import { materializeBody, materializeIncrementalBody } from './materialization-request';
import { MaterializationService } from './materialization.service';

/**
 * Feast's feature-server routes. Feast answers an empty 200; we answer when the run is done, with
 * its job record (a failed run answers its error, the job in `details.job`).
 */
@Controller()
export class MaterializationController {
  constructor(private readonly materialization: MaterializationService) {}

  @Post('materialize')
  @ApiDoc({ tag: 'feature store', summary: 'Materialize a time range to the online store', body: materializeBody })
  @Authorize('features.materialize', featureViews(bodyField('feature_views')))
  @HttpCode(200)
  async materialize(@Body() body: unknown): Promise<{ job: MaterializationJob }> {
    const req = parseBody(materializeBody, body);
    return { job: await this.materialization.materialize({ start: req.start_ts, end: req.end_ts, views: req.feature_views }) };
  }

  @Post('materialize-incremental')
  @ApiDoc({ tag: 'feature store', summary: "Materialize from each view's last run to end_ts", body: materializeIncrementalBody })
  @Authorize('features.materialize', featureViews(bodyField('feature_views')))
  @HttpCode(200)
  async materializeIncremental(@Body() body: unknown): Promise<{ job: MaterializationJob }> {
    const req = parseBody(materializeIncrementalBody, body);
    return { job: await this.materialization.materializeIncremental({ end: req.end_ts, views: req.feature_views }) };
  }
}
