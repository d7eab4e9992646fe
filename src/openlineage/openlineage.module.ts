import { Module } from '@nestjs/common';
import { OpenLineageDelivery } from './openlineage-delivery';
import { OpenLineageOutboxRepository } from './openlineage-outbox.repository';

/**
 * OpenLineage run events for every data movement (issue 14, ADR 0034): listens to RunEvents, keeps
 * a durable outbox and delivers it to OPENLINEAGE_URL; idle without it.
 */
@Module({ providers: [OpenLineageOutboxRepository, OpenLineageDelivery], exports: [OpenLineageDelivery] })
export class OpenLineageModule {}
