import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from '../audit/audit.interceptor';
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
  imports: [AuditModule],
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
