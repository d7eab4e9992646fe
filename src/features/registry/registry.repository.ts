import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RegistryKind, RegistryObjectEntity } from './registry-object.entity';

export interface RegistryDocument {
  kind: RegistryKind;
  name: string;
  version: string;
  spec: Record<string, unknown>;
  normalized: Record<string, unknown>;
  contentHash: string;
  sourceFile: string | null;
}

@Injectable()
export class RegistryRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(manager: EntityManager, kind: RegistryKind, name: string, version = ''): Promise<RegistryObjectEntity | null> {
    return manager.getRepository(RegistryObjectEntity).findOneBy({ kind, name, version });
  }

  findCurrent(kind: RegistryKind, name: string): Promise<RegistryObjectEntity | null> {
    return this.find(this.dataSource.manager, kind, name);
  }

  async upsert(manager: EntityManager, doc: RegistryDocument): Promise<void> {
    await manager.getRepository(RegistryObjectEntity).save({ ...doc });
  }

  list(kind?: RegistryKind, search?: string): Promise<RegistryObjectEntity[]> {
    const qb = this.dataSource.getRepository(RegistryObjectEntity).createQueryBuilder('r').orderBy('r.kind').addOrderBy('r.name').addOrderBy('r.version');
    if (kind) qb.andWhere('r.kind = :kind', { kind });
    if (search) qb.andWhere('(r.name ILIKE :s OR r.normalized::text ILIKE :s)', { s: `%${search.replace(/[%_\\]/g, '\\$&')}%` });
    return qb.getMany();
  }
}
