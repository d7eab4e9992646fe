import { Controller, Get, Header } from '@nestjs/common';
import { ApiDoc } from '../common/http/api-doc';
import { PublicRoute } from '../governance/auth/authorize.decorator';
import { API_REFERENCE_HTML } from './developer-pages';
import { OpenApiService } from './openapi.service';

/** The REST API's own description: open like /health, it holds no data. */
@Controller()
export class ApiDocsController {
  constructor(private readonly openapi: OpenApiService) {}

  @Get('openapi.json')
  @ApiDoc({ tag: 'operations', summary: 'This document: OpenAPI 3.1 of every REST route (no key needed)' })
  @PublicRoute()
  document(): Record<string, unknown> {
    return this.openapi.document();
  }

  @Get('docs')
  @ApiDoc({ tag: 'operations', summary: 'API reference page of this document (local assets, no key needed)', produces: ['text/html'] })
  @PublicRoute()
  @Header('content-type', 'text/html; charset=utf-8')
  reference(): string {
    return API_REFERENCE_HTML;
  }
}
