import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from './openapi-document';
import { restRoutes } from './route-inventory';

const packageVersion = (): string => {
  try {
    // The service runs from the repository (npm start); elsewhere the document still builds.
    return (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
};

/** Builds the document once, from the controllers Nest routes (they do not change while the service runs). */
@Injectable()
export class OpenApiService {
  private cached: Record<string, unknown> | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  document(): Record<string, unknown> {
    this.cached ??= buildOpenApiDocument(restRoutes(this.discovery), packageVersion());
    return this.cached;
  }
}
