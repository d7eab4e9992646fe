import { graphql } from './gql';

/** The GraphQL operations the client offers; their types are generated from schema.graphql (`npm run codegen -w @tessera/client`). */

export const ModelQuery = graphql(`
  query ClientModel($name: String!, $version: String) {
    model(name: $name, version: $version) {
      name
      version
      stage
      sha256
      featureService
      domain
    }
  }
`);

export const ModelsQuery = graphql(`
  query ClientModels($search: String, $stage: ModelStage) {
    models(search: $search, stage: $stage) {
      name
      version
      stage
    }
  }
`);

export const PredictQuery = graphql(`
  query ClientPredict($name: String!, $input: PredictInput!) {
    predict(name: $name, input: $input) {
      requestId
      model {
        name
        version
      }
      outputs
    }
  }
`);

export const OnlineFeaturesQuery = graphql(`
  query ClientOnlineFeatures($features: [String!], $featureService: String, $entities: JSON!) {
    onlineFeatures(features: $features, featureService: $featureService, entities: $entities, fullFeatureNames: true) {
      metadata {
        featureNames
      }
      results {
        values
        statuses
        eventTimestamps
      }
    }
  }
`);
