import { Spotlight, spotlight, type SpotlightActionData } from '@mantine/spotlight';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { graphql } from './gql';
import { useQuery } from './lib/use-query';

export const SpotlightSearchQuery = graphql(`
  query SpotlightSearch($search: String!) {
    dataProducts(search: $search, first: 8) {
      edges {
        rank
        node {
          id
          name
          domain
        }
      }
    }
  }
`);

export const openCatalogSpotlight = (): void => spotlight.open();

/** The type-ahead palette (Ctrl+K from every page) over the catalog's full-text search. */
export function CatalogSpotlight() {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const navigate = useNavigate();
  const { data } = useQuery(SpotlightSearchQuery, { search: debounced }, debounced.length < 2);
  const actions: SpotlightActionData[] = (debounced.length < 2 ? [] : (data?.dataProducts.edges ?? [])).map((e) => ({
    id: e.node.id,
    label: e.node.name,
    description: `${e.node.domain} · ${e.node.id}`,
    onClick: () => void navigate(`/products/${encodeURIComponent(e.node.id)}`),
  }));
  actions.push({ id: '__search', label: `Search for “${query}”`, description: 'All results with facets', onClick: () => void navigate(`/search?q=${encodeURIComponent(query)}`) });
  return (
    <Spotlight
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      filter={(_q, a) => a}
      // Ctrl+K opens it from anywhere, inputs included (no single-key shortcut: it would fire while typing).
      shortcut="mod + K"
      tagsToIgnore={[]}
      nothingFound="Nothing found"
      searchProps={{ placeholder: 'Search the catalog…', 'aria-label': 'Search the catalog' }}
    />
  );
}
