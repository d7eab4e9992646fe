import { Controller, Get, Param } from '@nestjs/common';
import { ApiDoc } from '../../common/http/api-doc';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { modelNamed } from '../../governance/auth/resources';
import type { ModelBundle } from '../registry/model-bundle';
import { ModelBundleService } from '../registry/model-bundle.service';

/** Model bundles (ADR 0032): what a client process or a browser needs to score a version itself. */
@Controller('v1/models')
export class ModelBundleController {
  constructor(private readonly bundles: ModelBundleService) {}

  @Get(':name/bundle')
  @ApiDoc({
    tag: 'models',
    summary: 'Bundle of the version predict answers with (deployment production, else production stage): ONNX bytes, signature, features, defaults, sha256',
    params: { name: 'model name' },
  })
  @Authorize('models.read', modelNamed((input) => input.params.name))
  current(@Param('name') name: string): Promise<ModelBundle> {
    return this.bundles.bundle(name);
  }

  @Get(':name/versions/:version/bundle')
  @ApiDoc({
    tag: 'models',
    summary: 'Bundle of one model version: ONNX bytes (base64), signature, feature list, defaults, sha256',
    params: { name: 'model name', version: 'semantic version' },
  })
  @Authorize('models.read', modelNamed((input) => input.params.name))
  version(@Param('name') name: string, @Param('version') version: string): Promise<ModelBundle> {
    return this.bundles.bundle(name, version);
  }
}
