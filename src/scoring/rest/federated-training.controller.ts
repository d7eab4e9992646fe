import { Body, Controller, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiDoc } from '../../common/http/api-doc';
import { parseBody } from '../../common/http/parse-body';
import { Authorize } from '../../governance/auth/authorize.decorator';
import { CurrentPrincipal } from '../../governance/auth/current-principal';
import type { Principal } from '../../governance/auth/principal';
import { requireAllowed } from '../../governance/auth/require-allowed';
import { modelUpload } from '../../governance/auth/resources';
import { UNOWNED_MODEL_REASON } from '../registry/model-domain';
import { federatedTrainingBody, type FederatedTrainingResult } from '../training/federated/federated-training';
import { FederatedTrainingService } from '../training/federated/federated-training.service';

/** Federated training (ADR 0033): a model fitted from per-domain aggregates, registered like an upload. */
@Controller('v1/models')
export class FederatedTrainingController {
  constructor(private readonly training: FederatedTrainingService) {}

  @Post('federated-training')
  @ApiDoc({
    tag: 'models',
    summary: "Train a logistic regression over several domains' data products from per-domain aggregates only, and register it",
    body: federatedTrainingBody,
    responses: { 201: 'trained and registered' },
  })
  // The model's domain is known only once the feature service is read: decided again at registration, as uploads are.
  @Authorize('models.register', modelUpload)
  async train(@Body() body: unknown, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<FederatedTrainingResult> {
    const req = parseBody(federatedTrainingBody, body);
    const result = await this.training.train(req, who.id, (scope) =>
      requireAllowed(who, 'models.register', { type: 'model', name: scope.name, domains: scope.domains, ...(scope.unowned ? { adminOnly: UNOWNED_MODEL_REASON } : {}) }),
    );
    void reply.status(result.action === 'created' ? 201 : 200);
    return result;
  }
}
