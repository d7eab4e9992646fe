import { DataContractEntity, ContractVersionEntity } from './data-contract.entity';
import { DataProductEntity } from './data-product.entity';
import { DomainEntity } from './domain.entity';
import { GlossaryTermEntity } from './glossary-term.entity';
import { InputPortEntity, OutputPortEntity } from './port.entity';
import { UseCaseEntity } from './use-case.entity';

export const CATALOG_ENTITIES = [DomainEntity, GlossaryTermEntity, DataProductEntity, InputPortEntity, OutputPortEntity, DataContractEntity, ContractVersionEntity, UseCaseEntity];
