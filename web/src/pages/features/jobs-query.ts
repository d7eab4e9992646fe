import { graphql } from '../../gql';

/** Recent materialization jobs, newest first (needs jobs.read). */
export const RecentJobs = graphql(`
  query RecentMaterializationJobs($first: Int!) {
    materializationJobs(first: $first) {
      id
      status
      featureViews
      startTs
      endTs
      finishedAt
      rowsWritten
      incremental
      trigger
      error
    }
  }
`);
