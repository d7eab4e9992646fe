import { Logger } from '@nestjs/common';
import { warnIfSuperuser } from '../../src/common/database/connection-role';
import { createDataSource } from '../../src/database';
import { adminUrl, withDatabase } from '../support/postgres-admin';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The start-up warning of a superuser connection (ADR 0019): said for the admin role, not for the service role. */
describe('connection role check at start', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const check = async (url: string): Promise<{ superuser: boolean; warnings: string[] }> => {
    const ds = createDataSource(url);
    await ds.initialize();
    const warnings: string[] = [];
    const logger = Object.assign(new Logger('test'), { warn: (m: string) => warnings.push(m) });
    try {
      return { superuser: await warnIfSuperuser(ds, logger), warnings };
    } finally {
      await ds.destroy();
    }
  };

  it('warns, naming the role and the docs, when the service connects as a superuser', async () => {
    const r = await check(withDatabase(adminUrl(), db.name));
    expect(r.superuser).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^connected as superuser ".+": domain isolation then rests on SET ROLE only\. .*docs\/database-roles\.md$/)]);
  });

  it('says nothing for the least-privilege service role the tests run as', async () => {
    expect(await check(db.url)).toEqual({ superuser: false, warnings: [] });
  });
});
