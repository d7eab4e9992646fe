import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/**
 * Warns when the service connects as a superuser: domain isolation (ADR 0019) then rests on
 * `SET LOCAL ROLE` and the static check of rule SQL alone, and any hole in them reaches everything,
 * files and programs of the server included. Returns whether it is one.
 */
export async function warnIfSuperuser(ds: DataSource, logger = new Logger('Database')): Promise<boolean> {
  const [row] = await ds.query<{ role: string; rolsuper: boolean }[]>(`SELECT current_user AS role, rolsuper FROM pg_roles WHERE rolname = current_user`);
  if (row?.rolsuper) {
    logger.warn(`connected as superuser "${row.role}": domain isolation then rests on SET ROLE only. Connect as a NOSUPERUSER role with the grants in docs/database-roles.md`);
  }
  return row?.rolsuper ?? false;
}
