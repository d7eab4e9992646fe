import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { TesseraConfig } from '../config/tessera-config';
import { Authorize } from '../governance/auth/authorize.decorator';
import { DriftService, MAX_HISTORY_WINDOWS } from './drift.service';
import { ModelDriftHistoryModel, ModelDriftReportModel } from './drift.model';

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

  @Query(() => ModelDriftHistoryModel, {
    description: `Drift of a model version (default: its production version) over \`windows\` consecutive windows of \`windowMinutes\` (default: TESSERA_DRIFT_WINDOW_HOURS) ending at \`until\` (default: now), oldest first; at most ${MAX_HISTORY_WINDOWS} windows.`,
  })
  @Authorize('models.read')
  modelDriftHistory(
    @Args('name') name: string,
    @Args('version', { type: () => String, nullable: true }) version: string | null,
    @Args('until', { type: () => Date, nullable: true }) until: Date | null,
    @Args('windowMinutes', { type: () => Int, nullable: true }) windowMinutes: number | null,
    @Args('windows', { type: () => Int, defaultValue: 12 }) windows: number,
  ): Promise<ModelDriftHistoryModel> {
    // An omitted nullable argument arrives as undefined.
    const windowMs = windowMinutes == null ? this.config.driftWindowMs : windowMinutes * 60_000;
    return this.drift.history(name, version ?? null, until ?? new Date(), windowMs, windows);
  }
}
