import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../common/http/parse-body';
import { TesseraConfig } from '../../config/tessera-config';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { modelUpload } from '../../governance/auth/resources';
import { requireAllowed } from '../../governance/auth/require-allowed';
import { UNOWNED_MODEL_REASON } from '../registry/model-domain';
import { MODEL_STAGES, ModelVersionView, RegisterResult } from '../registry/model-version';
import { ModelRegistryService } from '../registry/model-registry.service';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { readModelUpload } from './model-upload.reader';

const listQuery = z.strictObject({
  search: z.string().optional(),
  stage: z.enum(MODEL_STAGES).optional(),
  owner: z.string().optional(),
});

@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly config: TesseraConfig,
  ) {}

  /** Registers a model version: 201 when stored, 200 when the identical version was registered already. */
  @Post()
  @ApiDoc({
    tag: 'models',
    summary: 'Register a model version (multipart: metadata + ONNX file)',
    body: { contentTypes: ['multipart/form-data'], description: 'Parts `metadata` (the Model document, YAML or JSON) and `file` (the ONNX bytes).' },
    responses: { 201: 'registered' },
  })
  @Authorize('models.register', modelUpload) // name and domain are inside the multipart body: decided again once read
  async upload(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() who: Principal): Promise<RegisterResult> {
    const upload = await readModelUpload(req, this.config.modelMaxBytes);
    const result = await this.registry.register(upload.metadata, upload.file, {
      registeredBy: who.id,
      metadataField: 'metadata',
      authorize: (scope) => requireAllowed(who, 'models.register', { type: 'model', name: scope.name, domains: scope.domains, ...(scope.unowned ? { adminOnly: UNOWNED_MODEL_REASON } : {}) }),
    });
    void reply.status(result.action === 'created' ? 201 : 200);
    return result;
  }

  @Get()
  @ApiDoc({ tag: 'models', summary: 'Registered model versions', query: listQuery })
  @Authorize('models.read')
  async list(@Query() query: unknown): Promise<{ models: ModelVersionView[] }> {
    return { models: await this.registry.list(parseBody(listQuery, query ?? {})) };
  }

  /** The production version, else the highest registered one. */
  @Get(':name')
  @ApiDoc({ tag: 'models', summary: 'A model: its production version, else the highest registered', params: { name: 'model name' } })
  @Authorize('models.read')
  get(@Param('name') name: string): Promise<ModelVersionView> {
    return this.registry.get(name);
  }

  @Get(':name/versions/:version')
  @ApiDoc({ tag: 'models', summary: 'One model version', params: { name: 'model name', version: 'semantic version' } })
  @Authorize('models.read')
  getVersion(@Param('name') name: string, @Param('version') version: string): Promise<ModelVersionView> {
    return this.registry.get(name, version);
  }
}
