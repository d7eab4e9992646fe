import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { stringify } from 'yaml';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { modelInDomain } from '../../governance/auth/resources';
import type { BatchScoringJob } from './batch-scoring-job';
import { batchJobsQuery, batchScoringBody, predictionsContractQuery } from './batch-scoring-request';
import { BatchScoringService } from './batch-scoring.service';

/** Batch scoring (precompute, ADR 0035): queue a job, follow it, derive the predictions contract. */
@Controller('v1')
export class BatchScoringController {
  constructor(private readonly batch: BatchScoringService) {}

  @Post('models/:name/batch-scoring')
  @ApiDoc({
    tag: 'models',
    summary: 'Queue a batch scoring job: a model version over entities as of a time, into its predictions port',
    body: batchScoringBody,
    params: { name: 'model name' },
    responses: { 202: 'queued (200: the same job was queued or running already)' },
  })
  @Authorize('models.deploy', modelInDomain((input) => input.params.name))
  async request(@Param('name') name: string, @Body() body: unknown, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ job: BatchScoringJob }> {
    const req = parseBody(batchScoringBody, body);
    const { job, created } = await this.batch.request(name, { version: req.version, asOf: req.as_of ? new Date(req.as_of) : new Date(), entities: req.entities }, who.id);
    void reply.status(created ? 202 : 200);
    return { job };
  }

  @Get('models/:name/batch-scoring')
  @ApiDoc({ tag: 'models', summary: "A model's batch scoring jobs, newest first", query: batchJobsQuery, params: { name: 'model name' } })
  @Authorize('jobs.read')
  async list(@Param('name') name: string, @Query() query: unknown): Promise<{ jobs: BatchScoringJob[] }> {
    const q = parseBody(batchJobsQuery, query ?? {});
    return { jobs: await this.batch.list({ model: name, first: q.first }) };
  }

  @Get('batch-scoring-jobs/:id')
  @ApiDoc({ tag: 'models', summary: 'One batch scoring job and its progress', params: { id: 'job id (uuid)' } })
  @Authorize('jobs.read')
  async job(@Param('id') id: string): Promise<{ job: BatchScoringJob }> {
    return { job: await this.batch.job(id) };
  }

  @Get('models/:name/versions/:version/predictions-contract')
  @ApiDoc({
    tag: 'models',
    summary: "The ODCS contract of a version's predictions port, derived from its outputs and entity keys",
    query: predictionsContractQuery,
    params: { name: 'model name', version: 'semantic version' },
    produces: ['application/yaml'],
  })
  @Authorize('models.read')
  async contract(@Param('name') name: string, @Param('version') version: string, @Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown> | string> {
    const q = parseBody(predictionsContractQuery, query ?? {});
    const output = q.dataProduct && q.outputPort ? { dataProduct: q.dataProduct, outputPort: q.outputPort } : undefined;
    const contract = await this.batch.contract(name, version, output);
    if (q.format === 'json') return contract;
    void reply.header('content-type', 'application/yaml; charset=utf-8');
    return stringify(contract);
  }
}
