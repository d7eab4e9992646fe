import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { applyDocuments } from '../../governance/auth/resources';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { ApplyService } from '../apply/apply.service';
import { ApplyReport } from '../apply/apply-report';
import { ApplyReportModel, ContractFileInput } from './mesh.model';

@Resolver()
export class ApplyResolver {
  constructor(private readonly applyService: ApplyService) {}

  @Mutation(() => ApplyReportModel, {
    description: 'Applies ODPS, ODCS and tessera/v1 documents as one transaction. A rejected apply returns applied=false with every error.',
  })
  @Authorize('catalog.apply', applyDocuments)
  applyContracts(
    @Args('files', { type: () => [ContractFileInput] }) files: ContractFileInput[],
    @Args('dryRun', { defaultValue: false }) dryRun: boolean,
    @CurrentPrincipal() who: Principal,
  ): Promise<ApplyReport> {
    return this.applyService.apply({ files, dryRun, actor: who.id });
  }
}
