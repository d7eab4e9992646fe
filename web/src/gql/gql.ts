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
    "\n  query SpotlightSearch($search: String!) {\n    dataProducts(search: $search, first: 8) {\n      edges {\n        rank\n        node {\n          id\n          name\n          domain\n        }\n      }\n    }\n  }\n": typeof types.SpotlightSearchDocument,
    "\n  query Viewer {\n    viewer {\n      principal {\n        id\n        displayName\n        roles {\n          role\n          domain\n        }\n      }\n      permissions\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query ModelDeployment($name: String!) {\n    deployment(name: $name) {\n      production\n      canary {\n        version\n        percent\n      }\n      shadows\n      previous\n      revision\n      updatedAt\n      updatedBy\n    }\n    deploymentHistory(name: $name, limit: 20) {\n      action\n      changedAt\n      changedBy\n      after\n    }\n  }\n": typeof types.ModelDeploymentDocument,
    "\n  mutation DeployVersion($name: String!, $version: String!) {\n    deployModel(name: $name, version: $version) {\n      revision\n    }\n  }\n": typeof types.DeployVersionDocument,
    "\n  mutation SetCanary($name: String!, $version: String!, $percent: Float!) {\n    setCanary(name: $name, version: $version, percent: $percent) {\n      revision\n    }\n  }\n": typeof types.SetCanaryDocument,
    "\n  mutation ClearCanary($name: String!) {\n    clearCanary(name: $name) {\n      revision\n    }\n  }\n": typeof types.ClearCanaryDocument,
    "\n  mutation PromoteCanary($name: String!) {\n    promoteCanary(name: $name) {\n      revision\n    }\n  }\n": typeof types.PromoteCanaryDocument,
    "\n  mutation Rollback($name: String!) {\n    rollback(name: $name) {\n      revision\n    }\n  }\n": typeof types.RollbackDocument,
    "\n  mutation AddShadow($name: String!, $version: String!) {\n    addShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n": typeof types.AddShadowDocument,
    "\n  mutation RemoveShadow($name: String!, $version: String!) {\n    removeShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n": typeof types.RemoveShadowDocument,
    "\n  query FeatureView($name: String!) {\n    registryObjects(kind: FeatureView, search: $name) {\n      name\n      spec\n      updatedAt\n    }\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n    models {\n      name\n      version\n      stage\n      featureService\n    }\n  }\n": typeof types.FeatureViewDocument,
    "\n  query OnlineVector($entities: JSON!, $features: [String!]!) {\n    onlineFeatures(entities: $entities, features: $features) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n": typeof types.OnlineVectorDocument,
    "\n  query Home {\n    domains {\n      name\n      description\n      productCount\n      team {\n        name\n      }\n    }\n    meshSloStatus {\n      productId\n      domain\n      met\n      atRisk\n      breached\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query RecentAudit {\n    auditLog(limit: 10) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n    }\n  }\n": typeof types.RecentAuditDocument,
    "\n  query LineagePage($id: String!, $depth: Int!, $direction: LineageDirection!) {\n    lineage(id: $id, depth: $depth, direction: $direction) {\n      nodes {\n        id\n        name\n        kind\n        domain\n        distance\n      }\n      edges {\n        from\n        to\n      }\n    }\n    registryObjects {\n      kind\n      name\n      spec\n    }\n    models {\n      name\n      version\n      featureService\n      domain\n    }\n  }\n": typeof types.LineagePageDocument,
    "\n  query ModelPage($name: String!) {\n    models(name: $name) {\n      name\n      version\n      stage\n      domain\n      owner\n      description\n      featureService\n      registeredAt\n      stageHistory {\n        fromStage\n        toStage\n        changedAt\n        changedBy\n      }\n      modelCard {\n        intendedUse\n        limitations\n        metrics\n        trainingDatasetId\n      }\n      inputs {\n        name\n        type\n        shape\n      }\n      requestInputs {\n        name\n        type\n        shape\n      }\n      outputs {\n        name\n        type\n        shape\n      }\n      features {\n        ref\n        type\n      }\n    }\n  }\n": typeof types.ModelPageDocument,
    "\n  query Product($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      type\n      updatedAt\n      outputPorts {\n        type\n        contractId\n        contract {\n          id\n          version\n          schema {\n            quality\n            properties {\n              quality\n            }\n          }\n        }\n      }\n    }\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      measured\n      target\n      unit\n    }\n    registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    useCases {\n      name\n      dataProducts\n    }\n  }\n": typeof types.ProductDocument,
    "\n  mutation RequestAccess($input: AccessRequestInput!) {\n    requestAccess(input: $input) {\n      id\n      status\n      decidedBy\n    }\n  }\n": typeof types.RequestAccessDocument,
    "\n  query Search($search: String, $domain: String, $status: DataProductStatus, $type: DataProductType, $tags: [String!]) {\n    dataProducts(search: $search, domain: $domain, status: $status, type: $type, tags: $tags, first: 50) {\n      totalCount\n      facets {\n        domains {\n          value\n          count\n        }\n        statuses {\n          value\n          count\n        }\n        types {\n          value\n          count\n        }\n        tags {\n          value\n          count\n        }\n      }\n      edges {\n        rank\n        matches {\n          field\n          value\n          term\n        }\n        node {\n          id\n          name\n          domain\n          status\n          type\n          tags\n          description {\n            purpose\n          }\n        }\n      }\n    }\n    domains {\n      name\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query DesignProduct($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      spec\n      outputPorts {\n        autoApprove\n        contract {\n          spec\n          schema {\n            physicalName\n            properties {\n              physicalType\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.DesignProductDocument,
    "\n  mutation ApplyDesign($files: [ContractFileInput!]!, $dryRun: Boolean!) {\n    applyContracts(files: $files, dryRun: $dryRun) {\n      applied\n      dryRun\n      message\n      errors {\n        file\n        path\n        message\n      }\n      warnings {\n        file\n        path\n        message\n      }\n    }\n  }\n": typeof types.ApplyDesignDocument,
    "\n  query FeaturesOverview {\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    views: registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n  }\n": typeof types.FeaturesOverviewDocument,
    "\n  query TrainingDatasetsOverview {\n    trainingDatasets(first: 100) {\n      id\n      name\n      version\n      rowCount\n      featureService\n      createdBy\n      createdAt\n      sourceContracts {\n        dataProduct\n        outputPort\n        contractId\n        contractVersion\n        featureView\n      }\n    }\n  }\n": typeof types.TrainingDatasetsOverviewDocument,
    "\n  query RecentMaterializationJobs($first: Int!) {\n    materializationJobs(first: $first) {\n      id\n      status\n      featureViews\n      startTs\n      endTs\n      finishedAt\n      rowsWritten\n      incremental\n      trigger\n      error\n    }\n  }\n": typeof types.RecentMaterializationJobsDocument,
    "\n  query AccessInbox($status: String, $first: Int!, $after: ID) {\n    accessAgreements(status: $status, first: $first, after: $after) {\n      id\n      status\n      purpose\n      piiAccess\n      requestedBy\n      requestedAt\n      startDate\n      endDate\n      decidedBy\n      decidedAt\n      reason\n      consumer {\n        id\n        kind\n      }\n      provider {\n        dataProduct\n        outputPort\n      }\n    }\n  }\n": typeof types.AccessInboxDocument,
    "\n  query AccessInboxDomains($first: Int!, $after: String) {\n    dataProducts(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          domain\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AccessInboxDomainsDocument,
    "\n  mutation ApproveAccess($id: ID!, $reason: String) {\n    approveAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.ApproveAccessDocument,
    "\n  mutation RejectAccess($id: ID!, $reason: String) {\n    rejectAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RejectAccessDocument,
    "\n  mutation RevokeAccess($id: ID!, $reason: String) {\n    revokeAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeAccessDocument,
    "\n  query AuditTrail($filter: AuditFilter, $limit: Int!) {\n    auditLog(filter: $filter, limit: $limit) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n      operation\n      reason\n    }\n  }\n": typeof types.AuditTrailDocument,
    "\n  query Policies {\n    policies {\n      id\n      name\n      title\n      status\n      statusReason\n      severity\n      category\n      rule\n      message\n      proposedBy\n      tally {\n        outcome\n        quorum\n        approvingDomains\n        rejectingDomains\n        reason\n      }\n      votes {\n        voter\n        domain\n        vote\n        comment\n        castAt\n      }\n    }\n  }\n": typeof types.PoliciesDocument,
    "\n  mutation ProposePolicy($document: String!) {\n    proposePolicy(document: $document) {\n      id\n      status\n    }\n  }\n": typeof types.ProposePolicyDocument,
    "\n  mutation SubmitPolicy($id: ID!) {\n    submitPolicyForReview(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.SubmitPolicyDocument,
    "\n  mutation VotePolicy($id: ID!, $vote: VoteChoice!, $comment: String!) {\n    votePolicy(id: $id, vote: $vote, comment: $comment) {\n      id\n      status\n    }\n  }\n": typeof types.VotePolicyDocument,
    "\n  query ComplianceScorecard {\n    complianceScorecard {\n      evaluatedAt\n      activePolicies\n      products\n      compliantProducts\n      complianceRate\n      domains {\n        domain\n        products\n        compliantProducts\n        complianceRate\n      }\n      policies {\n        policyId\n        name\n        severity\n        evaluated\n        passed\n        failed\n        errored\n        passRate\n      }\n    }\n  }\n": typeof types.ComplianceScorecardDocument,
    "\n  query ModelDriftPanel($name: String!, $version: String) {\n    modelDrift(name: $name, version: $version) {\n      version\n      threshold\n      drifted\n      servingRows\n      trainingRows\n      trainingDataset\n      since\n      until\n      notes\n      features {\n        feature\n        psi\n        drifted\n        servingMissingRate\n      }\n    }\n  }\n": typeof types.ModelDriftPanelDocument,
    "\n  query ModelDriftHistoryPanel($name: String!, $version: String, $windows: Int!) {\n    modelDriftHistory(name: $name, version: $version, windows: $windows) {\n      threshold\n      windowMinutes\n      windows {\n        since\n        until\n        servingRows\n        features {\n          feature\n          psi\n        }\n      }\n    }\n  }\n": typeof types.ModelDriftHistoryPanelDocument,
    "\n  query PredictionLogSample($model: String!) {\n    predictionLog(model: $model, limit: 20) {\n      id\n      at\n      version\n      role\n      entity\n      outputs\n      rejected\n    }\n  }\n": typeof types.PredictionLogSampleDocument,
    "\n  fragment ProductFields on DataProduct {\n    id\n    name\n    domain\n    status\n    version\n    tags\n    description {\n      purpose\n      usage\n      limitations\n    }\n    team {\n      name\n      members {\n        username\n        role\n      }\n    }\n    support {\n      channel\n      url\n    }\n    inputPorts {\n      name\n      contractId\n      version\n    }\n    outputPorts {\n      name\n      version\n      containsPii\n      contract {\n        schema {\n          name\n          properties {\n            name\n            logicalType\n            classification\n            required\n            description\n          }\n        }\n        slaProperties {\n          property\n          value\n          unit\n        }\n      }\n    }\n  }\n": typeof types.ProductFieldsFragmentDoc,
    "\n  query ProductAgreements($id: String!) {\n    accessAgreements(dataProduct: $id, first: 50) {\n      id\n      status\n      purpose\n      piiAccess\n      endDate\n      consumer {\n        id\n        kind\n      }\n      provider {\n        outputPort\n      }\n    }\n  }\n": typeof types.ProductAgreementsDocument,
    "\n  query ContractHistory($id: String!) {\n    contractHistory(id: $id) {\n      version\n      appliedAt\n      impact\n    }\n  }\n": typeof types.ContractHistoryDocument,
    "\n  query ContractDiff($from: ContractRefInput!, $to: ContractRefInput!) {\n    contractDiff(from: $from, to: $to) {\n      impact\n      suggestedVersion\n      changes {\n        change\n        path\n        element\n        impact\n        reason\n        from\n        to\n      }\n    }\n  }\n": typeof types.ContractDiffDocument,
    "\n  query QualityRuns($productId: String!, $port: String!) {\n    qualityRuns(productId: $productId, port: $port, first: 5) {\n      id\n      outcome\n      trigger\n      finishedAt\n      contractVersion\n      passedCount\n      failedCount\n      skippedCount\n      results {\n        path\n        element\n        metric\n        description\n        status\n        measured\n        operator\n        threshold\n        unit\n        severity\n      }\n    }\n  }\n": typeof types.QualityRunsDocument,
    "\n  query ProductSlos($id: String!) {\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      declared\n      measured\n      target\n      unit\n      evaluatedAt\n      errorBudget {\n        kind\n        total\n        consumed\n        remaining\n      }\n      history {\n        evaluatedAt\n        measured\n        status\n      }\n    }\n  }\n": typeof types.ProductSlosDocument,
};
const documents: Documents = {
    "\n  query SpotlightSearch($search: String!) {\n    dataProducts(search: $search, first: 8) {\n      edges {\n        rank\n        node {\n          id\n          name\n          domain\n        }\n      }\n    }\n  }\n": types.SpotlightSearchDocument,
    "\n  query Viewer {\n    viewer {\n      principal {\n        id\n        displayName\n        roles {\n          role\n          domain\n        }\n      }\n      permissions\n    }\n  }\n": types.ViewerDocument,
    "\n  query ModelDeployment($name: String!) {\n    deployment(name: $name) {\n      production\n      canary {\n        version\n        percent\n      }\n      shadows\n      previous\n      revision\n      updatedAt\n      updatedBy\n    }\n    deploymentHistory(name: $name, limit: 20) {\n      action\n      changedAt\n      changedBy\n      after\n    }\n  }\n": types.ModelDeploymentDocument,
    "\n  mutation DeployVersion($name: String!, $version: String!) {\n    deployModel(name: $name, version: $version) {\n      revision\n    }\n  }\n": types.DeployVersionDocument,
    "\n  mutation SetCanary($name: String!, $version: String!, $percent: Float!) {\n    setCanary(name: $name, version: $version, percent: $percent) {\n      revision\n    }\n  }\n": types.SetCanaryDocument,
    "\n  mutation ClearCanary($name: String!) {\n    clearCanary(name: $name) {\n      revision\n    }\n  }\n": types.ClearCanaryDocument,
    "\n  mutation PromoteCanary($name: String!) {\n    promoteCanary(name: $name) {\n      revision\n    }\n  }\n": types.PromoteCanaryDocument,
    "\n  mutation Rollback($name: String!) {\n    rollback(name: $name) {\n      revision\n    }\n  }\n": types.RollbackDocument,
    "\n  mutation AddShadow($name: String!, $version: String!) {\n    addShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n": types.AddShadowDocument,
    "\n  mutation RemoveShadow($name: String!, $version: String!) {\n    removeShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n": types.RemoveShadowDocument,
    "\n  query FeatureView($name: String!) {\n    registryObjects(kind: FeatureView, search: $name) {\n      name\n      spec\n      updatedAt\n    }\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n    models {\n      name\n      version\n      stage\n      featureService\n    }\n  }\n": types.FeatureViewDocument,
    "\n  query OnlineVector($entities: JSON!, $features: [String!]!) {\n    onlineFeatures(entities: $entities, features: $features) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n": types.OnlineVectorDocument,
    "\n  query Home {\n    domains {\n      name\n      description\n      productCount\n      team {\n        name\n      }\n    }\n    meshSloStatus {\n      productId\n      domain\n      met\n      atRisk\n      breached\n    }\n  }\n": types.HomeDocument,
    "\n  query RecentAudit {\n    auditLog(limit: 10) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n    }\n  }\n": types.RecentAuditDocument,
    "\n  query LineagePage($id: String!, $depth: Int!, $direction: LineageDirection!) {\n    lineage(id: $id, depth: $depth, direction: $direction) {\n      nodes {\n        id\n        name\n        kind\n        domain\n        distance\n      }\n      edges {\n        from\n        to\n      }\n    }\n    registryObjects {\n      kind\n      name\n      spec\n    }\n    models {\n      name\n      version\n      featureService\n      domain\n    }\n  }\n": types.LineagePageDocument,
    "\n  query ModelPage($name: String!) {\n    models(name: $name) {\n      name\n      version\n      stage\n      domain\n      owner\n      description\n      featureService\n      registeredAt\n      stageHistory {\n        fromStage\n        toStage\n        changedAt\n        changedBy\n      }\n      modelCard {\n        intendedUse\n        limitations\n        metrics\n        trainingDatasetId\n      }\n      inputs {\n        name\n        type\n        shape\n      }\n      requestInputs {\n        name\n        type\n        shape\n      }\n      outputs {\n        name\n        type\n        shape\n      }\n      features {\n        ref\n        type\n      }\n    }\n  }\n": types.ModelPageDocument,
    "\n  query Product($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      type\n      updatedAt\n      outputPorts {\n        type\n        contractId\n        contract {\n          id\n          version\n          schema {\n            quality\n            properties {\n              quality\n            }\n          }\n        }\n      }\n    }\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      measured\n      target\n      unit\n    }\n    registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    useCases {\n      name\n      dataProducts\n    }\n  }\n": types.ProductDocument,
    "\n  mutation RequestAccess($input: AccessRequestInput!) {\n    requestAccess(input: $input) {\n      id\n      status\n      decidedBy\n    }\n  }\n": types.RequestAccessDocument,
    "\n  query Search($search: String, $domain: String, $status: DataProductStatus, $type: DataProductType, $tags: [String!]) {\n    dataProducts(search: $search, domain: $domain, status: $status, type: $type, tags: $tags, first: 50) {\n      totalCount\n      facets {\n        domains {\n          value\n          count\n        }\n        statuses {\n          value\n          count\n        }\n        types {\n          value\n          count\n        }\n        tags {\n          value\n          count\n        }\n      }\n      edges {\n        rank\n        matches {\n          field\n          value\n          term\n        }\n        node {\n          id\n          name\n          domain\n          status\n          type\n          tags\n          description {\n            purpose\n          }\n        }\n      }\n    }\n    domains {\n      name\n    }\n  }\n": types.SearchDocument,
    "\n  query DesignProduct($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      spec\n      outputPorts {\n        autoApprove\n        contract {\n          spec\n          schema {\n            physicalName\n            properties {\n              physicalType\n            }\n          }\n        }\n      }\n    }\n  }\n": types.DesignProductDocument,
    "\n  mutation ApplyDesign($files: [ContractFileInput!]!, $dryRun: Boolean!) {\n    applyContracts(files: $files, dryRun: $dryRun) {\n      applied\n      dryRun\n      message\n      errors {\n        file\n        path\n        message\n      }\n      warnings {\n        file\n        path\n        message\n      }\n    }\n  }\n": types.ApplyDesignDocument,
    "\n  query FeaturesOverview {\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    views: registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n  }\n": types.FeaturesOverviewDocument,
    "\n  query TrainingDatasetsOverview {\n    trainingDatasets(first: 100) {\n      id\n      name\n      version\n      rowCount\n      featureService\n      createdBy\n      createdAt\n      sourceContracts {\n        dataProduct\n        outputPort\n        contractId\n        contractVersion\n        featureView\n      }\n    }\n  }\n": types.TrainingDatasetsOverviewDocument,
    "\n  query RecentMaterializationJobs($first: Int!) {\n    materializationJobs(first: $first) {\n      id\n      status\n      featureViews\n      startTs\n      endTs\n      finishedAt\n      rowsWritten\n      incremental\n      trigger\n      error\n    }\n  }\n": types.RecentMaterializationJobsDocument,
    "\n  query AccessInbox($status: String, $first: Int!, $after: ID) {\n    accessAgreements(status: $status, first: $first, after: $after) {\n      id\n      status\n      purpose\n      piiAccess\n      requestedBy\n      requestedAt\n      startDate\n      endDate\n      decidedBy\n      decidedAt\n      reason\n      consumer {\n        id\n        kind\n      }\n      provider {\n        dataProduct\n        outputPort\n      }\n    }\n  }\n": types.AccessInboxDocument,
    "\n  query AccessInboxDomains($first: Int!, $after: String) {\n    dataProducts(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          domain\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AccessInboxDomainsDocument,
    "\n  mutation ApproveAccess($id: ID!, $reason: String) {\n    approveAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.ApproveAccessDocument,
    "\n  mutation RejectAccess($id: ID!, $reason: String) {\n    rejectAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RejectAccessDocument,
    "\n  mutation RevokeAccess($id: ID!, $reason: String) {\n    revokeAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RevokeAccessDocument,
    "\n  query AuditTrail($filter: AuditFilter, $limit: Int!) {\n    auditLog(filter: $filter, limit: $limit) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n      operation\n      reason\n    }\n  }\n": types.AuditTrailDocument,
    "\n  query Policies {\n    policies {\n      id\n      name\n      title\n      status\n      statusReason\n      severity\n      category\n      rule\n      message\n      proposedBy\n      tally {\n        outcome\n        quorum\n        approvingDomains\n        rejectingDomains\n        reason\n      }\n      votes {\n        voter\n        domain\n        vote\n        comment\n        castAt\n      }\n    }\n  }\n": types.PoliciesDocument,
    "\n  mutation ProposePolicy($document: String!) {\n    proposePolicy(document: $document) {\n      id\n      status\n    }\n  }\n": types.ProposePolicyDocument,
    "\n  mutation SubmitPolicy($id: ID!) {\n    submitPolicyForReview(id: $id) {\n      id\n      status\n    }\n  }\n": types.SubmitPolicyDocument,
    "\n  mutation VotePolicy($id: ID!, $vote: VoteChoice!, $comment: String!) {\n    votePolicy(id: $id, vote: $vote, comment: $comment) {\n      id\n      status\n    }\n  }\n": types.VotePolicyDocument,
    "\n  query ComplianceScorecard {\n    complianceScorecard {\n      evaluatedAt\n      activePolicies\n      products\n      compliantProducts\n      complianceRate\n      domains {\n        domain\n        products\n        compliantProducts\n        complianceRate\n      }\n      policies {\n        policyId\n        name\n        severity\n        evaluated\n        passed\n        failed\n        errored\n        passRate\n      }\n    }\n  }\n": types.ComplianceScorecardDocument,
    "\n  query ModelDriftPanel($name: String!, $version: String) {\n    modelDrift(name: $name, version: $version) {\n      version\n      threshold\n      drifted\n      servingRows\n      trainingRows\n      trainingDataset\n      since\n      until\n      notes\n      features {\n        feature\n        psi\n        drifted\n        servingMissingRate\n      }\n    }\n  }\n": types.ModelDriftPanelDocument,
    "\n  query ModelDriftHistoryPanel($name: String!, $version: String, $windows: Int!) {\n    modelDriftHistory(name: $name, version: $version, windows: $windows) {\n      threshold\n      windowMinutes\n      windows {\n        since\n        until\n        servingRows\n        features {\n          feature\n          psi\n        }\n      }\n    }\n  }\n": types.ModelDriftHistoryPanelDocument,
    "\n  query PredictionLogSample($model: String!) {\n    predictionLog(model: $model, limit: 20) {\n      id\n      at\n      version\n      role\n      entity\n      outputs\n      rejected\n    }\n  }\n": types.PredictionLogSampleDocument,
    "\n  fragment ProductFields on DataProduct {\n    id\n    name\n    domain\n    status\n    version\n    tags\n    description {\n      purpose\n      usage\n      limitations\n    }\n    team {\n      name\n      members {\n        username\n        role\n      }\n    }\n    support {\n      channel\n      url\n    }\n    inputPorts {\n      name\n      contractId\n      version\n    }\n    outputPorts {\n      name\n      version\n      containsPii\n      contract {\n        schema {\n          name\n          properties {\n            name\n            logicalType\n            classification\n            required\n            description\n          }\n        }\n        slaProperties {\n          property\n          value\n          unit\n        }\n      }\n    }\n  }\n": types.ProductFieldsFragmentDoc,
    "\n  query ProductAgreements($id: String!) {\n    accessAgreements(dataProduct: $id, first: 50) {\n      id\n      status\n      purpose\n      piiAccess\n      endDate\n      consumer {\n        id\n        kind\n      }\n      provider {\n        outputPort\n      }\n    }\n  }\n": types.ProductAgreementsDocument,
    "\n  query ContractHistory($id: String!) {\n    contractHistory(id: $id) {\n      version\n      appliedAt\n      impact\n    }\n  }\n": types.ContractHistoryDocument,
    "\n  query ContractDiff($from: ContractRefInput!, $to: ContractRefInput!) {\n    contractDiff(from: $from, to: $to) {\n      impact\n      suggestedVersion\n      changes {\n        change\n        path\n        element\n        impact\n        reason\n        from\n        to\n      }\n    }\n  }\n": types.ContractDiffDocument,
    "\n  query QualityRuns($productId: String!, $port: String!) {\n    qualityRuns(productId: $productId, port: $port, first: 5) {\n      id\n      outcome\n      trigger\n      finishedAt\n      contractVersion\n      passedCount\n      failedCount\n      skippedCount\n      results {\n        path\n        element\n        metric\n        description\n        status\n        measured\n        operator\n        threshold\n        unit\n        severity\n      }\n    }\n  }\n": types.QualityRunsDocument,
    "\n  query ProductSlos($id: String!) {\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      declared\n      measured\n      target\n      unit\n      evaluatedAt\n      errorBudget {\n        kind\n        total\n        consumed\n        remaining\n      }\n      history {\n        evaluatedAt\n        measured\n        status\n      }\n    }\n  }\n": types.ProductSlosDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SpotlightSearch($search: String!) {\n    dataProducts(search: $search, first: 8) {\n      edges {\n        rank\n        node {\n          id\n          name\n          domain\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SpotlightSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      principal {\n        id\n        displayName\n        roles {\n          role\n          domain\n        }\n      }\n      permissions\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDeployment($name: String!) {\n    deployment(name: $name) {\n      production\n      canary {\n        version\n        percent\n      }\n      shadows\n      previous\n      revision\n      updatedAt\n      updatedBy\n    }\n    deploymentHistory(name: $name, limit: 20) {\n      action\n      changedAt\n      changedBy\n      after\n    }\n  }\n"): typeof import('./graphql').ModelDeploymentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeployVersion($name: String!, $version: String!) {\n    deployModel(name: $name, version: $version) {\n      revision\n    }\n  }\n"): typeof import('./graphql').DeployVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetCanary($name: String!, $version: String!, $percent: Float!) {\n    setCanary(name: $name, version: $version, percent: $percent) {\n      revision\n    }\n  }\n"): typeof import('./graphql').SetCanaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearCanary($name: String!) {\n    clearCanary(name: $name) {\n      revision\n    }\n  }\n"): typeof import('./graphql').ClearCanaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PromoteCanary($name: String!) {\n    promoteCanary(name: $name) {\n      revision\n    }\n  }\n"): typeof import('./graphql').PromoteCanaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Rollback($name: String!) {\n    rollback(name: $name) {\n      revision\n    }\n  }\n"): typeof import('./graphql').RollbackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddShadow($name: String!, $version: String!) {\n    addShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n"): typeof import('./graphql').AddShadowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveShadow($name: String!, $version: String!) {\n    removeShadow(name: $name, version: $version) {\n      revision\n    }\n  }\n"): typeof import('./graphql').RemoveShadowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeatureView($name: String!) {\n    registryObjects(kind: FeatureView, search: $name) {\n      name\n      spec\n      updatedAt\n    }\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n    models {\n      name\n      version\n      stage\n      featureService\n    }\n  }\n"): typeof import('./graphql').FeatureViewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnlineVector($entities: JSON!, $features: [String!]!) {\n    onlineFeatures(entities: $entities, features: $features) {\n      metadata {\n        featureNames\n      }\n      results {\n        values\n        statuses\n        eventTimestamps\n      }\n    }\n  }\n"): typeof import('./graphql').OnlineVectorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    domains {\n      name\n      description\n      productCount\n      team {\n        name\n      }\n    }\n    meshSloStatus {\n      productId\n      domain\n      met\n      atRisk\n      breached\n    }\n  }\n"): typeof import('./graphql').HomeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentAudit {\n    auditLog(limit: 10) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n    }\n  }\n"): typeof import('./graphql').RecentAuditDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LineagePage($id: String!, $depth: Int!, $direction: LineageDirection!) {\n    lineage(id: $id, depth: $depth, direction: $direction) {\n      nodes {\n        id\n        name\n        kind\n        domain\n        distance\n      }\n      edges {\n        from\n        to\n      }\n    }\n    registryObjects {\n      kind\n      name\n      spec\n    }\n    models {\n      name\n      version\n      featureService\n      domain\n    }\n  }\n"): typeof import('./graphql').LineagePageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPage($name: String!) {\n    models(name: $name) {\n      name\n      version\n      stage\n      domain\n      owner\n      description\n      featureService\n      registeredAt\n      stageHistory {\n        fromStage\n        toStage\n        changedAt\n        changedBy\n      }\n      modelCard {\n        intendedUse\n        limitations\n        metrics\n        trainingDatasetId\n      }\n      inputs {\n        name\n        type\n        shape\n      }\n      requestInputs {\n        name\n        type\n        shape\n      }\n      outputs {\n        name\n        type\n        shape\n      }\n      features {\n        ref\n        type\n      }\n    }\n  }\n"): typeof import('./graphql').ModelPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Product($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      type\n      updatedAt\n      outputPorts {\n        type\n        contractId\n        contract {\n          id\n          version\n          schema {\n            quality\n            properties {\n              quality\n            }\n          }\n        }\n      }\n    }\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      measured\n      target\n      unit\n    }\n    registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    useCases {\n      name\n      dataProducts\n    }\n  }\n"): typeof import('./graphql').ProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestAccess($input: AccessRequestInput!) {\n    requestAccess(input: $input) {\n      id\n      status\n      decidedBy\n    }\n  }\n"): typeof import('./graphql').RequestAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($search: String, $domain: String, $status: DataProductStatus, $type: DataProductType, $tags: [String!]) {\n    dataProducts(search: $search, domain: $domain, status: $status, type: $type, tags: $tags, first: 50) {\n      totalCount\n      facets {\n        domains {\n          value\n          count\n        }\n        statuses {\n          value\n          count\n        }\n        types {\n          value\n          count\n        }\n        tags {\n          value\n          count\n        }\n      }\n      edges {\n        rank\n        matches {\n          field\n          value\n          term\n        }\n        node {\n          id\n          name\n          domain\n          status\n          type\n          tags\n          description {\n            purpose\n          }\n        }\n      }\n    }\n    domains {\n      name\n    }\n  }\n"): typeof import('./graphql').SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DesignProduct($id: String!) {\n    dataProduct(id: $id) {\n      ...ProductFields\n      spec\n      outputPorts {\n        autoApprove\n        contract {\n          spec\n          schema {\n            physicalName\n            properties {\n              physicalType\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DesignProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyDesign($files: [ContractFileInput!]!, $dryRun: Boolean!) {\n    applyContracts(files: $files, dryRun: $dryRun) {\n      applied\n      dryRun\n      message\n      errors {\n        file\n        path\n        message\n      }\n      warnings {\n        file\n        path\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').ApplyDesignDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeaturesOverview {\n    entities: registryObjects(kind: Entity) {\n      name\n      spec\n    }\n    views: registryObjects(kind: FeatureView) {\n      name\n      spec\n    }\n    services: registryObjects(kind: FeatureService) {\n      name\n      spec\n    }\n  }\n"): typeof import('./graphql').FeaturesOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainingDatasetsOverview {\n    trainingDatasets(first: 100) {\n      id\n      name\n      version\n      rowCount\n      featureService\n      createdBy\n      createdAt\n      sourceContracts {\n        dataProduct\n        outputPort\n        contractId\n        contractVersion\n        featureView\n      }\n    }\n  }\n"): typeof import('./graphql').TrainingDatasetsOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentMaterializationJobs($first: Int!) {\n    materializationJobs(first: $first) {\n      id\n      status\n      featureViews\n      startTs\n      endTs\n      finishedAt\n      rowsWritten\n      incremental\n      trigger\n      error\n    }\n  }\n"): typeof import('./graphql').RecentMaterializationJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessInbox($status: String, $first: Int!, $after: ID) {\n    accessAgreements(status: $status, first: $first, after: $after) {\n      id\n      status\n      purpose\n      piiAccess\n      requestedBy\n      requestedAt\n      startDate\n      endDate\n      decidedBy\n      decidedAt\n      reason\n      consumer {\n        id\n        kind\n      }\n      provider {\n        dataProduct\n        outputPort\n      }\n    }\n  }\n"): typeof import('./graphql').AccessInboxDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccessInboxDomains($first: Int!, $after: String) {\n    dataProducts(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          domain\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').AccessInboxDomainsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveAccess($id: ID!, $reason: String) {\n    approveAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ApproveAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectAccess($id: ID!, $reason: String) {\n    rejectAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').RejectAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeAccess($id: ID!, $reason: String) {\n    revokeAccess(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').RevokeAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditTrail($filter: AuditFilter, $limit: Int!) {\n    auditLog(filter: $filter, limit: $limit) {\n      seq\n      at\n      principalId\n      action\n      resource\n      outcome\n      operation\n      reason\n    }\n  }\n"): typeof import('./graphql').AuditTrailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Policies {\n    policies {\n      id\n      name\n      title\n      status\n      statusReason\n      severity\n      category\n      rule\n      message\n      proposedBy\n      tally {\n        outcome\n        quorum\n        approvingDomains\n        rejectingDomains\n        reason\n      }\n      votes {\n        voter\n        domain\n        vote\n        comment\n        castAt\n      }\n    }\n  }\n"): typeof import('./graphql').PoliciesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProposePolicy($document: String!) {\n    proposePolicy(document: $document) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ProposePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitPolicy($id: ID!) {\n    submitPolicyForReview(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').SubmitPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VotePolicy($id: ID!, $vote: VoteChoice!, $comment: String!) {\n    votePolicy(id: $id, vote: $vote, comment: $comment) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').VotePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ComplianceScorecard {\n    complianceScorecard {\n      evaluatedAt\n      activePolicies\n      products\n      compliantProducts\n      complianceRate\n      domains {\n        domain\n        products\n        compliantProducts\n        complianceRate\n      }\n      policies {\n        policyId\n        name\n        severity\n        evaluated\n        passed\n        failed\n        errored\n        passRate\n      }\n    }\n  }\n"): typeof import('./graphql').ComplianceScorecardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDriftPanel($name: String!, $version: String) {\n    modelDrift(name: $name, version: $version) {\n      version\n      threshold\n      drifted\n      servingRows\n      trainingRows\n      trainingDataset\n      since\n      until\n      notes\n      features {\n        feature\n        psi\n        drifted\n        servingMissingRate\n      }\n    }\n  }\n"): typeof import('./graphql').ModelDriftPanelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelDriftHistoryPanel($name: String!, $version: String, $windows: Int!) {\n    modelDriftHistory(name: $name, version: $version, windows: $windows) {\n      threshold\n      windowMinutes\n      windows {\n        since\n        until\n        servingRows\n        features {\n          feature\n          psi\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ModelDriftHistoryPanelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PredictionLogSample($model: String!) {\n    predictionLog(model: $model, limit: 20) {\n      id\n      at\n      version\n      role\n      entity\n      outputs\n      rejected\n    }\n  }\n"): typeof import('./graphql').PredictionLogSampleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductFields on DataProduct {\n    id\n    name\n    domain\n    status\n    version\n    tags\n    description {\n      purpose\n      usage\n      limitations\n    }\n    team {\n      name\n      members {\n        username\n        role\n      }\n    }\n    support {\n      channel\n      url\n    }\n    inputPorts {\n      name\n      contractId\n      version\n    }\n    outputPorts {\n      name\n      version\n      containsPii\n      contract {\n        schema {\n          name\n          properties {\n            name\n            logicalType\n            classification\n            required\n            description\n          }\n        }\n        slaProperties {\n          property\n          value\n          unit\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ProductFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductAgreements($id: String!) {\n    accessAgreements(dataProduct: $id, first: 50) {\n      id\n      status\n      purpose\n      piiAccess\n      endDate\n      consumer {\n        id\n        kind\n      }\n      provider {\n        outputPort\n      }\n    }\n  }\n"): typeof import('./graphql').ProductAgreementsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContractHistory($id: String!) {\n    contractHistory(id: $id) {\n      version\n      appliedAt\n      impact\n    }\n  }\n"): typeof import('./graphql').ContractHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContractDiff($from: ContractRefInput!, $to: ContractRefInput!) {\n    contractDiff(from: $from, to: $to) {\n      impact\n      suggestedVersion\n      changes {\n        change\n        path\n        element\n        impact\n        reason\n        from\n        to\n      }\n    }\n  }\n"): typeof import('./graphql').ContractDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QualityRuns($productId: String!, $port: String!) {\n    qualityRuns(productId: $productId, port: $port, first: 5) {\n      id\n      outcome\n      trigger\n      finishedAt\n      contractVersion\n      passedCount\n      failedCount\n      skippedCount\n      results {\n        path\n        element\n        metric\n        description\n        status\n        measured\n        operator\n        threshold\n        unit\n        severity\n      }\n    }\n  }\n"): typeof import('./graphql').QualityRunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductSlos($id: String!) {\n    sloStatus(productId: $id) {\n      port\n      slo\n      scope\n      status\n      declared\n      measured\n      target\n      unit\n      evaluatedAt\n      errorBudget {\n        kind\n        total\n        consumed\n        remaining\n      }\n      history {\n        evaluatedAt\n        measured\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').ProductSlosDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
