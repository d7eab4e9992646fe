/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ClientModel($name: String!, $version: String) {\n    model(name: $name, version: $version) {\n      name\n      version\n      stage\n      sha256\n      featureService\n      domain\n    }\n  }\n": typeof types.ClientModelDocument,
    "\n  query ClientModels($search: String, $stage: ModelStage) {\n    models(search: $search, stage: $stage) {\n      name\n      version\n      stage\n    }\n  }\n": typeof types.ClientModelsDocument,
    "\n  query ClientPredict($name: String!, $input: PredictInput!) {\n    predict(name: $name, input: $input) {\n      requestId\n      model {\n        name\n        version\n      }\n      outputs\n    }\n  }\n": typeof types.ClientPredictDocument,
    "\n  query ClientOnlineFeatures($features: [String!], $featureService: String, $entities: JSON!) {\n    onlineFeatures(features: $features, featureService: $featureService, entities: $entities, fullFeatureNames: true) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n": typeof types.ClientOnlineFeaturesDocument,
};
const documents: Documents = {
    "\n  query ClientModel($name: String!, $version: String) {\n    model(name: $name, version: $version) {\n      name\n      version\n      stage\n      sha256\n      featureService\n      domain\n    }\n  }\n": types.ClientModelDocument,
    "\n  query ClientModels($search: String, $stage: ModelStage) {\n    models(search: $search, stage: $stage) {\n      name\n      version\n      stage\n    }\n  }\n": types.ClientModelsDocument,
    "\n  query ClientPredict($name: String!, $input: PredictInput!) {\n    predict(name: $name, input: $input) {\n      requestId\n      model {\n        name\n        version\n      }\n      outputs\n    }\n  }\n": types.ClientPredictDocument,
    "\n  query ClientOnlineFeatures($features: [String!], $featureService: String, $entities: JSON!) {\n    onlineFeatures(features: $features, featureService: $featureService, entities: $entities, fullFeatureNames: true) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n": types.ClientOnlineFeaturesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientModel($name: String!, $version: String) {\n    model(name: $name, version: $version) {\n      name\n      version\n      stage\n      sha256\n      featureService\n      domain\n    }\n  }\n"): typeof import('./graphql').ClientModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientModels($search: String, $stage: ModelStage) {\n    models(search: $search, stage: $stage) {\n      name\n      version\n      stage\n    }\n  }\n"): typeof import('./graphql').ClientModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientPredict($name: String!, $input: PredictInput!) {\n    predict(name: $name, input: $input) {\n      requestId\n      model {\n        name\n        version\n      }\n      outputs\n    }\n  }\n"): typeof import('./graphql').ClientPredictDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientOnlineFeatures($features: [String!], $featureService: String, $entities: JSON!) {\n    onlineFeatures(features: $features, featureService: $featureService, entities: $entities, fullFeatureNames: true) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n"): typeof import('./graphql').ClientOnlineFeaturesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
