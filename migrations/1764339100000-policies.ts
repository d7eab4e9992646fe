import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Policies as code (ADR 0010): every revision of a policy with its review status, and the
 * append-only vote history. A revision's content never changes once submitted for review; a
 * trigger enforces it, and votes can be neither updated nor deleted.
 */
export class Policies1764339100000 implements MigrationInterface {
  name = 'Policies1764339100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tessera.policies (
        id                  text PRIMARY KEY,
        name                text NOT NULL,
        revision            int NOT NULL CHECK (revision > 0),
        title               text NOT NULL,
        category            text NOT NULL CHECK (category IN ('interoperability', 'documentation', 'security', 'privacy', 'compliance')),
        severity            text NOT NULL CHECK (severity IN ('blocking', 'warning')),
        rule                text NOT NULL,
        normalized          jsonb NOT NULL,
        spec                jsonb NOT NULL,
        content_hash        text NOT NULL,
        effective_from      timestamptz,
        status              text NOT NULL DEFAULT 'draft'
                            CHECK (status IN ('draft', 'in_review', 'approved', 'rejected', 'active', 'deprecated', 'superseded')),
        status_reason       text,
        proposed_by         text NOT NULL,
        source_file         text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        submitted_at        timestamptz,
        decided_at          timestamptz,
        activated_at        timestamptz,
        status_changed_at   timestamptz NOT NULL DEFAULT now(),
        UNIQUE (name, revision)
      )`);
    // At most one revision of a policy is in force.
    await q.query(`CREATE UNIQUE INDEX policies_one_active ON tessera.policies (name) WHERE status = 'active'`);
    await q.query(`CREATE INDEX policies_status ON tessera.policies (status)`);
    await q.query(`
      CREATE FUNCTION tessera.policies_freeze_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'draft' AND (NEW.content_hash <> OLD.content_hash OR NEW.rule <> OLD.rule) THEN
          RAISE EXCEPTION 'policy % is %: its content is frozen; propose a new revision', OLD.id, OLD.status;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER policies_freeze_reviewed BEFORE UPDATE ON tessera.policies FOR EACH ROW EXECUTE FUNCTION tessera.policies_freeze_reviewed()`);
    await q.query(`
      CREATE TABLE tessera.policy_votes (
        seq         bigserial PRIMARY KEY,
        policy_id   text NOT NULL REFERENCES tessera.policies(id),
        voter       text NOT NULL,
        domain      text NOT NULL,
        vote        text NOT NULL CHECK (vote IN ('approve', 'reject', 'abstain', 'block')),
        comment     text NOT NULL,
        cast_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX policy_votes_policy ON tessera.policy_votes (policy_id, seq)`);
    await q.query(`
      CREATE FUNCTION tessera.policy_votes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'policy votes are append-only';
      END $$`);
    await q.query(`CREATE TRIGGER policy_votes_append_only BEFORE UPDATE OR DELETE ON tessera.policy_votes FOR EACH ROW EXECUTE FUNCTION tessera.policy_votes_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tessera.policy_votes`);
    await q.query(`DROP FUNCTION tessera.policy_votes_append_only()`);
    await q.query(`DROP TABLE tessera.policies`);
    await q.query(`DROP FUNCTION tessera.policies_freeze_reviewed()`);
  }
}
