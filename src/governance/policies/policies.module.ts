import { Module, OnModuleInit } from '@nestjs/common';
import { ApplyExtensions } from '../../catalog/apply/apply-extensions';
import { CatalogModule } from '../../catalog/catalog.module';
import { ComplianceService } from './compliance.service';
import { PoliciesResolver } from './policies.resolver';
import { PolicyActivationSchedule } from './policy-activation.schedule';
import { PolicyApplyExtension } from './policy-apply.extension';
import { PolicyBootstrap } from './policy-bootstrap';
import { PolicyReviewService } from './policy-review.service';
import { PolicyRepository } from './policy.repository';

/**
 * Federated computational governance (ADR 0010): policies as code, their review by the domains'
 * governance members, and their enforcement on every apply through the catalog's extension point.
 */
@Module({
  imports: [CatalogModule],
  providers: [PolicyRepository, PolicyReviewService, ComplianceService, PoliciesResolver, PolicyBootstrap, PolicyActivationSchedule],
  exports: [PolicyReviewService, ComplianceService],
})
export class PoliciesModule implements OnModuleInit {
  constructor(
    private readonly extensions: ApplyExtensions,
    private readonly review: PolicyReviewService,
    private readonly repo: PolicyRepository,
  ) {}

  onModuleInit(): void {
    this.extensions.register(new PolicyApplyExtension(this.review, this.repo));
  }
}
