import { Args, Query, Resolver } from '@nestjs/graphql';
import { TesseraConfig } from '../config/tessera-config';
import { Authorize } from '../governance/auth/authorize.decorator';
import { DriftService } from './drift.service';
import { ModelDriftReportModel } from './drift.model';

@Resolver()
export class DriftResolver {
  constructor(
    private readonly drift: DriftService,
    private readonly config: TesseraConfig,
  ) {}

  @Query(() => ModelDriftReportModel, { description: 'Drift of a model version (default: its production version) over [since, until) (default: the last TESSERA_DRIFT_WINDOW_HOURS).' })
  @Authorize('models.read')
  modelDrift(
    @Args('name') name: string,
    @Args('version', { type: () => String, nullable: true }) version: string | null,
    @Args('since', { type: () => Date, nullable: true }) since: Date | null,
    @Args('until', { type: () => Date, nullable: true }) until: Date | null,
  ): Promise<ModelDriftReportModel> {
    const end = until ?? new Date();
    return this.drift.report(name, version, since ?? new Date(end.getTime() - this.config.driftWindowMs), end);
  }
}
