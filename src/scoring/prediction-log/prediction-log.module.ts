import { Module } from '@nestjs/common';
import { PREDICTION_LOG_SINK } from './prediction-log-entry';
import { PredictionLogController } from './prediction-log.controller';
import { TesseraConfig } from '../../config/tessera-config';
import { PREDICTION_LOG_OPTIONS } from './prediction-log.options';
import { PredictionLogRepository } from './prediction-log.repository';
import { PredictionLogResolver } from './prediction-log.resolver';
import { PredictionLogService } from './prediction-log.service';
import { PredictionLogWriter } from './prediction-log.writer';

/**
 * The prediction log (issue 4, ADR 0012): the sink the prediction path records into
 * (PREDICTION_LOG_SINK), its batch writer, and the GraphQL and REST reads.
 */
@Module({
  controllers: [PredictionLogController],
  providers: [
    { provide: PREDICTION_LOG_OPTIONS, useFactory: (config: TesseraConfig) => config.predictionLog, inject: [TesseraConfig] },
    PredictionLogRepository,
    PredictionLogWriter,
    { provide: PREDICTION_LOG_SINK, useExisting: PredictionLogWriter },
    PredictionLogService,
    PredictionLogResolver,
  ],
  exports: [PREDICTION_LOG_SINK, PredictionLogWriter, PredictionLogService],
})
export class PredictionLogModule {}
