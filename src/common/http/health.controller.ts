import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** Liveness: the process answers. */
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  /** Readiness: the database answers (the online store joins this check with the feature store). */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks: Record<string, string> = {};
    try {
      await this.dataSource.query('SELECT 1');
      checks.database = 'ok';
    } catch (err) {
      checks.database = `unavailable: ${(err as Error).message}`;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
  }
}
