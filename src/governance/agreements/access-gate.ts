import { Injectable, Logger } from '@nestjs/common';
import { ChangeFeed } from '../../common/changes/change-feed';
import { TesseraConfig } from '../../config/tessera-config';
import type { ResolvedFeatureView } from '../../features/registry/resolved-feature-view';
import { resolveSecret } from '../auth/bootstrap-admin-key';
import type { Principal } from '../auth/principal';
import { TtlCache } from '../auth/ttl-cache';
import { AgreementPorts, TablePort } from './agreement-ports';
import { AgreementsError, AgreementsErrorCode } from './agreements-error';
import { AgreementsRepository } from './agreements.repository';
import { PiiMasker } from './pii-mask';

/**
 * The last-resort bound on what a replica read of agreements and ports. Changes are propagated by
 * the change feed (ADR 0018) within a second; this only bounds a replica that could hear of none.
 */
export const GATE_CACHE_MS = 5000;

type TablePorts = Map<string, TablePort>;
type Grants = Awaited<ReturnType<AgreementsRepository['active']>>;

/**
 * The access check of every feature read (online serving, historical retrieval, training datasets,
 * prediction): each output port behind the views read needs an approved, unexpired agreement of the
 * caller (or of the model being scored), unless the caller is an admin or a member of the port's own
 * domain. Answers, per view, the features to mask: those whose source property is classified pii,
 * restricted or sensitive, when the agreement does not grant PII access.
 */
@Injectable()
export class AccessGate {
  private readonly logger = new Logger('AccessGate');
  readonly masker: PiiMasker;
  private readonly tables = new TtlCache<TablePorts>(GATE_CACHE_MS, 1);
  private readonly grants = new TtlCache<Grants>(GATE_CACHE_MS, 10_000);

  constructor(
    private readonly repo: AgreementsRepository,
    private readonly ports: AgreementPorts,
    config: TesseraConfig,
    changes: ChangeFeed,
  ) {
    changes.subscribe('agreements', () => this.invalidate());
    // Ports, their owning domain and PII classification come from products and contracts (apply).
    changes.subscribe('products', () => this.tables.clear());
    const secret = resolveSecret(config.piiHmacSecret, config.dataDir, 'pii-secret', 'pii_');
    if (secret.source === 'generated') this.logger.log(`generated the PII masking secret in ${secret.path} (mode 0600)`);
    this.masker = new PiiMasker(secret.key);
  }

  /**
   * Throws ACCESS_AGREEMENT_REQUIRED naming every port lacking an agreement; else the features to mask per
   * view. Answered in this turn, without a promise, when the ports and the caller's agreements are cached
   * (every read of a busy caller: the serving hot path, issue 16).
   */
  check(caller: Principal, views: readonly ResolvedFeatureView[], otherConsumers: string[] = []): Map<string, Set<string>> | Promise<Map<string, Set<string>>> {
    if (caller.roles.some((r) => r.role === 'admin')) return new Map();
    const consumers = otherConsumers.length === 0 ? [caller.id] : [caller.id, ...otherConsumers];
    const key = consumers.join('\u0000');
    const tables = this.tables.get('all');
    const grants = this.grants.get(key);
    if (tables && grants) return this.decide(caller, views, tables, grants);
    return this.load(consumers, key).then(([t, g]) => this.decide(caller, views, t, g));
  }

  private async load(consumers: string[], key: string): Promise<[TablePorts, Grants]> {
    const tables = await this.tablePorts();
    let grants = this.grants.get(key);
    if (!grants) {
      grants = await this.repo.active(consumers);
      this.grants.set(key, grants);
    }
    return [tables, grants];
  }

  private decide(caller: Principal, views: readonly ResolvedFeatureView[], tables: TablePorts, grants: Grants): Map<string, Set<string>> {
    const masks = new Map<string, Set<string>>();
    const now = Date.now();
    const missing: { dataProduct: string; outputPort: string; view: string }[] = [];
    for (const view of views) {
      const port = tables.get(`${view.table.schema}.${view.table.name}`);
      if (!port) continue; // not a catalogued port: nothing to agree on
      if (caller.roles.some((r) => (r.role === 'domain_owner' || r.role === 'domain_member') && r.domain === port.domain)) continue;
      const mine = grants.filter((g) => g.productId === port.productId && g.port === port.port && g.startsAt <= now && now < g.endsAt);
      if (mine.length === 0) {
        missing.push({ dataProduct: port.productId, outputPort: port.port, view: view.name });
        continue;
      }
      if (mine.some((g) => g.piiAccess)) continue;
      const masked = new Set(view.features.filter((f) => port.piiColumns.has(f.column)).map((f) => f.name));
      if (masked.size > 0) masks.set(view.name, masked);
    }
    if (missing.length > 0) {
      const ports = [...new Set(missing.map((m) => `${m.dataProduct}/${m.outputPort}`))];
      throw new AgreementsError(AgreementsErrorCode.ACCESS_AGREEMENT_REQUIRED, `${caller.id} holds no approved access agreement for ${ports.join(', ')}: request one with requestAccess`, { missing });
    }
    return masks;
  }

  async checkTable(caller: Principal, table: { schema: string; table: string }, columns: readonly string[]): Promise<void> {
    // The view check reads only name, table and the features' columns: the port read as a one-off view.
    const asView = { name: `${table.schema}.${table.table}`, table: { schema: table.schema, name: table.table }, features: columns.map((c) => ({ name: c, column: c })) } as unknown as ResolvedFeatureView;
    const masked = (await this.check(caller, [asView])).get(asView.name);
    if (masked && masked.size > 0) {
      const names = [...masked];
      throw new AgreementsError(AgreementsErrorCode.ACCESS_AGREEMENT_REQUIRED, `${caller.id} may not read the personal columns ${names.join(', ')} without PII access in its agreement`, {
        field: 'entities_from.columns',
        reason: `personal columns ${names.join(', ')} need an agreement with PII access`,
      });
    }
  }

  /** Forget cached agreements (every replica, when an agreement changes). */
  invalidate(): void {
    this.grants.clear();
  }

  private async tablePorts(): Promise<TablePorts> {
    let t = this.tables.get('all');
    if (!t) {
      t = await this.ports.tablePorts();
      this.tables.set('all', t);
    }
    return t;
  }
}
