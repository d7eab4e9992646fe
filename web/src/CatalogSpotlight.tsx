import { createSpotlight, Spotlight, type SpotlightActionData, type SpotlightStore } from '@mantine/spotlight';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
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

const [paletteStore, palette] = createSpotlight();

export const openCatalogSpotlight = (): void => palette.open();

/**
 * Selects the first entry. Mantine selects index 0 when the query changes, but the results arrive later
 * (debounce, then the request); its selection is a DOM attribute plus an index in the store, so the
 * attribute stayed on the entry that was first before ("Search for …") and the first ArrowDown went
 * from index 0 to the second entry. Both are set again here whenever the entries change.
 */
function selectFirstEntry(store: SpotlightStore): void {
  const { listId } = store.getState();
  const list = listId ? document.getElementById(listId) : null;
  if (!list) return;
  list.querySelectorAll('[data-selected]').forEach((e) => e.removeAttribute('data-selected'));
  const first = list.querySelector('[data-action]');
  first?.setAttribute('data-selected', 'true');
  store.updateState((s) => ({ ...s, selected: first ? 0 : -1 }));
}

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
  const entries = actions.map((a) => a.id).join('\n');
  useEffect(() => selectFirstEntry(paletteStore), [entries]);
  actions.push({ id: '__search', label: `Search for “${query}”`, description: 'All results with facets', onClick: () => void navigate(`/search?q=${encodeURIComponent(query)}`) });
  return (
    <Spotlight
      store={paletteStore}
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
