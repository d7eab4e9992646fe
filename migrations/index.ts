import { CatalogInit1764338400000 } from './1764338400000-catalog-init';
import { OfflineTables1764338500000 } from './1764338500000-offline-tables';
import { OnlineStore1764338600000 } from './1764338600000-online-store';
import { ModelRegistry1764338800000 } from './1764338800000-model-registry';
import { TrainingDatasets1764338900000 } from './1764338900000-training-datasets';
import { Auth1764339000000 } from './1764339000000-auth';
import { Policies1764339100000 } from './1764339100000-policies';
import { ModelDeployments1764339200000 } from './1764339200000-model-deployments';
import { PredictionLog1764339300000 } from './1764339300000-prediction-log';
import { MaterializationHousekeeping1764339400000 } from './1764339400000-materialization-housekeeping';
import { DataQuality1764339500000 } from './1764339500000-data-quality';
import { Slo1764339600000 } from './1764339600000-slo';
import { AccessAgreements1764339700000 } from './1764339700000-access-agreements';
import { ChangeVersions1764339800000 } from './1764339800000-change-versions';
import { DomainRoles1764340000000 } from './1764340000000-domain-roles';
import { ModelDomains1764340210000 } from './1764340210000-model-domains';
import { GovernanceLeadRole1764340220000 } from './1764340220000-governance-lead-role';
import { StreamSources1764340500000 } from './1764340500000-stream-sources';
import { StreamSourcePauses1764350100000 } from './1764350100000-stream-source-pauses';
import { RetrievalJobs1764350200000 } from './1764350200000-retrieval-jobs';
import { BatchScoringJobs1764350500000 } from './1764350500000-batch-scoring-jobs';
import { ModelDriftEvaluations1764340400000 } from './1764340400000-model-drift-evaluations';
import { OpenLineageOutbox1764350700000 } from './1764350700000-openlineage-outbox';
import { PartitionedOfflineTables1764350400000 } from './1764350400000-partitioned-offline-tables';

/** Every migration, in order. Listed explicitly so ts-jest and the compiled build load the same set. */
export const MIGRATIONS = [
  CatalogInit1764338400000,
  OfflineTables1764338500000,
  OnlineStore1764338600000,
  ModelRegistry1764338800000,
  TrainingDatasets1764338900000,
  Auth1764339000000,
  Policies1764339100000,
  ModelDeployments1764339200000,
  PredictionLog1764339300000,
  MaterializationHousekeeping1764339400000,
  DataQuality1764339500000,
  Slo1764339600000,
  AccessAgreements1764339700000,
  ChangeVersions1764339800000,
  DomainRoles1764340000000,
  ModelDomains1764340210000,
  GovernanceLeadRole1764340220000,
  ModelDriftEvaluations1764340400000,
  StreamSources1764340500000,
  StreamSourcePauses1764350100000,
  RetrievalJobs1764350200000,
  PartitionedOfflineTables1764350400000,
  BatchScoringJobs1764350500000,
  OpenLineageOutbox1764350700000,
  // New migrations go here, one line each, in timestamp order.
];
