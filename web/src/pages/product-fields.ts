import { graphql } from '../gql';

/**
 * The product fields both the product page and the design canvas read (header, canvas blocks, ports
 * with their contract's schema and SLA): one selection, so the two pages cannot drift apart. Each
 * query adds what only it needs next to `...ProductFields`.
 */
export const ProductFields = graphql(`
  fragment ProductFields on DataProduct {
    id
    name
    domain
    status
    version
    tags
    description {
      purpose
      usage
      limitations
    }
    team {
      name
      members {
        username
        role
      }
    }
    support {
      channel
      url
    }
    inputPorts {
      name
      contractId
      version
    }
    outputPorts {
      name
      version
      containsPii
      contract {
        schema {
          name
          properties {
            name
            logicalType
            classification
            required
            description
          }
        }
        slaProperties {
          property
          value
          unit
        }
      }
    }
  }
`);
