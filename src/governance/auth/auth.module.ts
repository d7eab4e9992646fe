import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from '../audit/audit.interceptor';
import { CatalogOwnershipModule } from '../../catalog/ownership/catalog-ownership.module';
import { RegistrySourcesModule } from '../../features/registry/registry-sources.module';
import { ModelOwnershipModule } from '../../scoring/registry/model-ownership.module';
import { AuditModule } from '../audit/audit.module';
import { ApiKeyService } from './api-key.service';
import { AuthRepository } from './auth.repository';
import { AuthResolver } from './auth.resolver';
import { AuthenticationService } from './authentication.service';
import { AuthorizationGuard } from './authorization.guard';
import { ResourceLookup } from './resource-lookup';

/**
 * Authentication (API keys, bootstrap admin, OIDC), the global authorization guard and the audit
 * interceptor around every handler (ADR 0009).
 */
@Global()
@Module({
  // Ownership queries of the modules whose resources authorization scopes (the agreements one is global).
  imports: [AuditModule, CatalogOwnershipModule, RegistrySourcesModule, ModelOwnershipModule],
  providers: [
    AuthRepository,
    AuthenticationService,
    ApiKeyService,
    ResourceLookup,
    AuthResolver,
    { provide: APP_GUARD, useClass: AuthorizationGuard },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuthenticationService, ApiKeyService, ResourceLookup],
})
export class AuthModule {}
