import type { ApolloDriverConfig } from '@nestjs/apollo';
import { FragmentDefinitionNode, GraphQLError, Kind, SelectionSetNode, ValidationContext, ASTVisitor } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Depth of the deepest field path of each operation, following fragments. Introspection fields
 * (`__schema`, `__type`) are not counted: the introspection switch governs them, and the standard
 * introspection query is deeper than any query of our schema needs. Apollo answers a failed rule
 * as GRAPHQL_VALIDATION_FAILED, before anything executes.
 */
export function depthLimitRule(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, sel.selectionSet ? 1 + depthOf(sel.selectionSet, seen) : 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(sel.selectionSet, seen));
        } else {
          const name = sel.name.value;
          const frag = fragments.get(name);
          if (!frag || seen.has(name)) continue; // unknown or cyclic fragments are other rules' errors
          deepest = Math.max(deepest, depthOf(frag.selectionSet, new Set([...seen, name])));
        }
        if (deepest > maxDepth) return deepest; // no need to walk the rest of a hostile query
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, { nodes: [node], extensions: { maxDepth } }));
        }
      },
    };
  };
}

/** A list field's children count once per requested item (`first`/`limit`), the field itself once. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const n = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : undefined;
  return n !== undefined && n > 1 ? 1 + childComplexity * Math.min(n, 100_000) : undefined;
};

/**
 * Refuses operations whose estimated cost (fields, multiplied by page sizes) exceeds the limit,
 * once variables are known (a validation rule would not see them).
 */
// Typed through the driver's config: @apollo/server's CJS and ESM typings are distinct types.
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

export function complexityLimitPlugin(maxComplexity: number): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (err) {
            // getComplexity coerces the variables before Apollo does: a variable of the wrong type
            // throws here, and unhandled it would surface as a 500 instead of Apollo's BAD_USER_INPUT.
            if (err instanceof GraphQLError) throw new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw err;
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(`query complexity ${complexity} exceeds the limit of ${maxComplexity}`, { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } } });
          }
        },
      };
    },
  };
}
