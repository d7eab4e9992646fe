import { Injectable } from '@nestjs/common';
import type { Principal } from '../../governance/auth/principal';
import { FeaturesError, FeaturesErrorCode } from '../features-error';
import type { RetrievalJob } from './retrieval-job';
import { RetrievalJobRepository } from './retrieval-job.repository';

const isAdmin = (p: Principal): boolean => p.roles.some((r) => r.role === 'admin');

/**
 * Status and cancel of retrieval jobs. A job is its submitter's (and an admin's): it was checked
 * against the submitter's agreements, so nobody else learns of it (another caller's id answers 404).
 */
@Injectable()
export class RetrievalJobService {
  constructor(private readonly jobs: RetrievalJobRepository) {}

  async get(id: string, caller: Principal): Promise<RetrievalJob> {
    const job = await this.jobs.get(id);
    if (!job || (job.createdBy !== caller.id && !isAdmin(caller))) throw notFound(id);
    return job;
  }

  /** Cancels a queued job at once, a running one at its next join step; a finished job is answered as it is. */
  async cancel(id: string, caller: Principal): Promise<RetrievalJob> {
    await this.get(id, caller);
    return (await this.jobs.cancel(id)) ?? (await this.get(id, caller));
  }
}

function notFound(id: string): FeaturesError {
  return new FeaturesError(FeaturesErrorCode.JOB_NOT_FOUND, `retrieval job ${id} not found`, { field: 'id', reason: 'no such retrieval job of yours' });
}
