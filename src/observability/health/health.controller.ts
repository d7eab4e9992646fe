import { Get, Inject, Injectable, Optional } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FastRoute, FastRoutes } from '../../common/http/fast-route';
import { DataSource } from 'typeorm';
import { ReadRouter } from '../../common/database/read-router';
import { ONLINE_STORE } from '../../features/online/online-store';
import type { OnlineStore } from '../../features/online/online-store';
import { PublicRoute } from '../../governance/auth/authorize.decorator';

/**
 * Liveness and readiness probes (observability's, not common's: readiness reports on the feature store).
 * Fast routes (ADR 0037): plain Fastify routes, so a probe costs no more than the hooks every request runs.
 */
@FastRoutes()
@Injectable()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    // Optional so the controller still works in a context built without the feature store.
    @Optional() @Inject(ONLINE_STORE) private readonly onlineStore?: OnlineStore,
    @Optional() private readonly readRouter?: ReadRouter,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @FastRoute({ response: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } })
  @ApiDoc({ tag: 'operations', summary: 'Liveness: the process answers (no key needed)' })
  @PublicRoute()
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Readiness: the database and the online store answer (each check bounded by its client's timeouts). */
  @Get('ready')
  @FastRoute()
  @ApiDoc({
    tag: 'operations',
    summary: 'Readiness: the database and the online store answer; a read replica down or lagging is reported as degraded (no key needed)',
    responses: { 503: 'a dependency is unavailable' },
  })
  @PublicRoute()
  async ready(_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const checks: Record<string, string> = {};
    const check = async (name: string, probe: () => Promise<unknown>): Promise<void> => {
      try {
        await probe();
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = `unavailable: ${(err as Error).message}`;
      }
    };
    await Promise.all([
      check('database', () => this.dataSource.query('SELECT 1')),
      check('onlineStore', async () => {
        if (!this.onlineStore) throw new Error('not configured');
        await this.onlineStore.ping();
      }),
    ]);
    const ok = Object.values(checks).every((v) => v === 'ok');
    // Fixed key order: database, then onlineStore, then the read replica when one is configured.
    const body: { status: string; checks: Record<string, string> } = { status: ok ? 'ready' : 'not ready', checks: { database: checks.database, onlineStore: checks.onlineStore } };
    // A replica that is down or lagging degrades, never fails, readiness: its reads go to the primary (ADR 0031).
    if (this.readRouter?.configured) {
      const replica = await this.readRouter.probe();
      body.checks.databaseReplica = replica.problem === null ? 'ok' : `degraded: ${replica.problem}; heavy reads go to the primary`;
    }
    return reply.status(ok ? 200 : 503).send(body);
  }
}
