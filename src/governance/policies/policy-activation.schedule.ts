import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PolicyRepository } from './policy.repository';

/** How often approved policies whose effectiveFrom has passed are made active. */
export const POLICY_ACTIVATION_INTERVAL_MS = 5000;

/**
 * Activates approved policies once their effectiveFrom passes. Reads used to do this on the way
 * (a query that writes); now reads only read, and this schedule (plus every vote and apply, which
 * activate in their own transaction) does the writing. Safe on several replicas: the repository
 * serializes activation under an advisory lock and re-checks what is due.
 */
@Injectable()
export class PolicyActivationSchedule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PolicyActivationSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly repo: PolicyRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), POLICY_ACTIVATION_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => 0);
  }

  /** One activation pass; the number of policies activated (0 when a pass is still running). */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = this.repo.activateDue().catch((err: unknown) => {
      this.logger.warn(`policy activation failed, retried in ${POLICY_ACTIVATION_INTERVAL_MS} ms: ${(err as Error).message}`);
      return 0;
    });
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
