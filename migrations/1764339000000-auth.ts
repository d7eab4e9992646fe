import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authentication, authorization and the audit trail (issue 5, ADR 0009): principals (people and
 * services) with role grants, API keys stored as sha256 digests, and an append-only audit log whose
 * rows no code path can change: a trigger raises on UPDATE, DELETE and TRUNCATE (the application's
 * role owns the table, so REVOKE would not bind it).
 */
export class Auth1764339000000 implements MigrationInterface {
  name = 'Auth1764339000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.principals (
        id            text PRIMARY KEY CHECK (id ~ '^(person|service):[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$'),
        kind          text NOT NULL CHECK (kind IN ('person', 'service')),
        display_name  text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text NOT NULL
      )`);
    // domain '' for the unscoped roles keeps the primary key simple; the CHECK ties scope to role.
    await q.query(`
      CREATE TABLE tessera.role_grants (
        principal_id  text NOT NULL REFERENCES tessera.principals(id) ON DELETE CASCADE,
        role          text NOT NULL CHECK (role IN ('admin', 'governance_member', 'domain_owner', 'domain_member', 'consumer', 'model_service')),
        domain        text NOT NULL DEFAULT '',
        granted_at    timestamptz NOT NULL DEFAULT now(),
        granted_by    text NOT NULL,
        PRIMARY KEY (principal_id, role, domain),
        CHECK ((role IN ('governance_member', 'domain_owner', 'domain_member')) = (domain <> ''))
      )`);
    await q.query(`
      CREATE TABLE tessera.api_keys (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        principal_id  text NOT NULL REFERENCES tessera.principals(id) ON DELETE CASCADE,
        name          text,
        prefix        text NOT NULL,
        key_sha256    text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    text NOT NULL,
        expires_at    timestamptz,
        revoked_at    timestamptz,
        revoked_by    text
      )`);
    await q.query(`CREATE INDEX api_keys_principal ON tessera.api_keys (principal_id)`);
    await q.query(`
      CREATE TABLE tessera.audit_log (
        seq            bigserial PRIMARY KEY,
        at             timestamptz NOT NULL DEFAULT clock_timestamp(),
        principal_id   text,
        action         text NOT NULL,
        resource       text NOT NULL,
        outcome        text NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
        reason         text,
        request_id     text,
        operation      text,
        before_digest  text CHECK (before_digest ~ '^[0-9a-f]{64}$'),
        after_digest   text CHECK (after_digest ~ '^[0-9a-f]{64}$')
      )`);
    await q.query(`CREATE INDEX audit_log_at ON tessera.audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_principal ON tessera.audit_log (principal_id, seq)`);
    await q.query(`
      CREATE FUNCTION tessera.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON tessera.audit_log FOR EACH ROW EXECUTE FUNCTION tessera.audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON tessera.audit_log FOR EACH STATEMENT EXECUTE FUNCTION tessera.audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tessera.audit_log`);
    await q.query(`DROP FUNCTION IF EXISTS tessera.audit_log_append_only()`);
    await q.query(`DROP TABLE IF EXISTS tessera.api_keys`);
    await q.query(`DROP TABLE IF EXISTS tessera.role_grants`);
    await q.query(`DROP TABLE IF EXISTS tessera.principals`);
  }
}
