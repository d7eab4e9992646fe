import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import type { RetrievalJob } from './retrieval-job';
import { RetrievalJobService } from './retrieval-job.service';

const jobPath = z.strictObject({ id: z.uuid('must be a job id (a UUID)') });

/** Retrieval jobs (ADR 0028): status and progress, cancel. The result is a training dataset version (resultUrl). */
@Controller('v1/retrieval-jobs')
export class RetrievalJobController {
  constructor(private readonly jobs: RetrievalJobService) {}

  @Get(':id')
  @ApiDoc({
    tag: 'feature store',
    summary: 'A retrieval job: status, progress (rows joined of total), its training dataset once done',
    description: 'resultUrl downloads the result (Arrow with Accept: application/vnd.apache.arrow.stream). Only the submitter (or an admin) sees a job.',
    params: { id: 'job id' },
  })
  @Authorize('features.read.offline')
  async get(@Param() params: unknown, @CurrentPrincipal() who: Principal): Promise<{ job: RetrievalJob }> {
    return { job: await this.jobs.get(parseBody(jobPath, params).id, who) };
  }

  @Delete(':id')
  @ApiDoc({ tag: 'feature store', summary: 'Cancel a retrieval job (a running one stops at its next join step)', params: { id: 'job id' } })
  @Authorize('features.read.offline')
  async cancel(@Param() params: unknown, @CurrentPrincipal() who: Principal): Promise<{ job: RetrievalJob }> {
    return { job: await this.jobs.cancel(parseBody(jobPath, params).id, who) };
  }

  @Post(':id/cancel')
  @ApiDoc({ tag: 'feature store', summary: 'Cancel a retrieval job (as DELETE, for clients that cannot send DELETE)', params: { id: 'job id' } })
  @Authorize('features.read.offline')
  @HttpCode(200)
  async cancelPost(@Param() params: unknown, @CurrentPrincipal() who: Principal): Promise<{ job: RetrievalJob }> {
    return this.cancel(params, who);
  }
}
