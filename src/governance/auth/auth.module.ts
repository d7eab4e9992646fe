import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from '../audit/audit.interceptor';
import { CatalogQueryModule } from '../../catalog/query/catalog-query.module';
import { FeatureRegistryQueryModule } from '../../features/registry/feature-registry-query.module';
import { ModelOwnershipModule } from '../../scoring/registry/model-ownership.module';
import { AuditModule } from '../audit/audit.module';
import { ApiKeyService } from './api-key.service';
import { AuthRepository } from './auth.repository';
import { AuthResolver } from './auth.resolver';
import { AuthenticationService } from './authentication.service';
import { AuthorizationGuard } from './authorization.guard';
import { OidcSignIn } from './oidc-sign-in';
import { ResourceLookup } from './resource-lookup';
import { SessionController } from './session.controller';
import { ViewerResolver } from './viewer.resolver';

/**
 * Authentication (API keys, bootstrap admin, OIDC), the global authorization guard and the audit
 * interceptor around every handler (ADR 0009).
 */
@Global()
@Module({
  // Ownership queries of the modules whose resources authorization scopes (the agreements one is global).
  imports: [AuditModule, CatalogQueryModule, FeatureRegistryQueryModule, ModelOwnershipModule],
  controllers: [SessionController],
  providers: [
    AuthRepository,
    AuthenticationService,
    OidcSignIn,
    ApiKeyService,
    ResourceLookup,
    AuthResolver,
    ViewerResolver,
    { provide: APP_GUARD, useClass: AuthorizationGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuthenticationService, ApiKeyService, ResourceLookup],
})
export class AuthModule {}
