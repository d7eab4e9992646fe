import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { grantDomainRole, schemasWithoutRole } from './domain-roles';

/**
 * Role names carry the database's name (domain-roles.ts): a renamed or cloned database finds its
 * domains without roles, and their quality rules would all fail with SQLSTATE 42704. At start, the
 * missing ones are created and granted. Never fatal: a replica racing another logs and goes on.
 */
@Injectable()
export class DomainRolesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DomainRoles');

  constructor(private readonly ds: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const missing = await schemasWithoutRole(this.ds);
      if (missing.length === 0) return;
      await this.ds.transaction(async (manager) => {
        for (const schema of missing) await grantDomainRole(manager, schema);
      });
      this.logger.log(`created the roles of ${missing.length} domain schema(s): ${missing.join(', ')}`);
    } catch (e) {
      this.logger.warn(`cannot create missing domain roles: ${(e as Error).message}`);
    }
  }
}
